package io.authgateway.server;

import io.authgateway.config.ServerSettings;

/**
 * The JDK server reads its limits from system properties once, when the first server is created
 * ({@code sun.net.httpserver.ServerConfig}), so they are set here, explicitly, before that. Values
 * from flags always win; the rest keep any {@code -D} an operator passed in {@code JAVA_OPTS}.
 */
public final class ServerProperties {

    /**
     * Total size of the request line and headers either server reads: the socket server answers 431
     * above it, the JDK server drops the request.
     */
    public static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** Header lines per request, for either server. */
    public static final int MAX_HEADERS = 200;

    private ServerProperties() {
    }

    public static void apply(ServerSettings settings) {
        // Whole seconds: the JDK server counts these in seconds.
        System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(Math.max(1, settings.readTimeout().toSeconds())));
        // The JDK limit covers a whole response; applying the write timeout there would cut long
        // queries and streams (the Go gateway's bug). The write timeout is a stall limit instead.
        System.setProperty("sun.net.httpserver.maxRspTime", "-1");
        System.setProperty("sun.net.httpserver.idleInterval", Long.toString(Math.max(1, settings.idleTimeout().toSeconds())));
        System.setProperty("jdk.httpserver.maxConnections",
                Integer.toString(settings.connectionLimit() > 0 ? settings.connectionLimit() : -1));
        setIfAbsent("sun.net.httpserver.clockTick", "1000");
        setIfAbsent("sun.net.httpserver.timerMillis", "1000");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "10000");
        setIfAbsent("sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_HEADERS));
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}

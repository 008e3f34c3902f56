package io.authgateway.jdkserver;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Two first-use costs of the JDK server, paid on a second thread while the gateway starts instead
 * of in line before the first answer (the first readiness probe): its {@code System.Logger}, whose
 * first lookup sets up java.util.logging, and the formatter of its {@code Date} header, whose
 * zone-name field ({@code zzz}) loads the JDK's locale providers and time-zone names. The state this
 * fills is the JDK's own and global; nothing made here is used for answers.
 */
public final class ServerWarmup {

    /** The logger name, date pattern and locale of {@code sun.net.httpserver.ServerImpl / ExchangeImpl}. */
    private static final String LOGGER = "com.sun.net.httpserver";
    private static final String DATE_PATTERN = "EEE, dd MMM yyyy HH:mm:ss zzz";

    private ServerWarmup() {
    }

    public static Thread start() {
        return Thread.ofVirtual().name("server-warmup").start(() -> {
            System.getLogger(LOGGER);
            DateTimeFormatter.ofPattern(DATE_PATTERN, Locale.US).withZone(ZoneId.of("GMT")).format(Instant.now());
        });
    }
}

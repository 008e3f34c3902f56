package io.authgateway.server;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own {@code HttpServer} implementation, reached through the API's provider
 * mechanism: the gateway asks this provider for an {@link HttpServer} and from then on sees only
 * the API. It is created with its limits and log rather than registered for
 * {@code HttpServer.create()}: a JVM-wide registration would silently replace the JDK's server for
 * every other {@code HttpServer} in the process (tests' upstreams, an embedding application), and
 * the SPI's static lookup has no way to carry per-server limits.
 */
public final class SocketServerProvider extends HttpServerProvider {

    private final ServerLimits limits;
    private final Optional<ServerTls> tls;
    private final Log log;
    private final AtomicInteger openConnections = new AtomicInteger();

    public SocketServerProvider(ServerLimits limits, Log log) {
        this(limits, Optional.empty(), log);
    }

    /** @param tls HTTPS on every server made here, or plain HTTP when empty */
    public SocketServerProvider(ServerLimits limits, Optional<ServerTls> tls, Log log) {
        this.limits = limits;
        this.tls = tls;
        this.log = log;
    }

    /** A server bound to {@code address} (or unbound if it is null) that serves after {@code start()}. */
    @Override
    public HttpServer createHttpServer(InetSocketAddress address, int backlog) throws IOException {
        SocketHttpServer server = new SocketHttpServer(limits, tls, log, openConnections);
        if (address != null) {
            server.bind(address, backlog);
        }
        return server;
    }

    /**
     * Not offered: HTTPS comes from the {@link ServerTls} this provider was made with (see there why
     * not an {@code HttpsConfigurator}).
     */
    @Override
    public HttpsServer createHttpsServer(InetSocketAddress address, int backlog) {
        throw new UnsupportedOperationException("create the provider with a ServerTls for HTTPS");
    }

    /** Client connections open now, over every server this provider made (the connection gauge). */
    public int openConnections() {
        return openConnections.get();
    }
}

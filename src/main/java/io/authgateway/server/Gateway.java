package io.authgateway.server;

import com.sun.net.httpserver.HttpServer;
import io.authgateway.auth.AuthRuntime;
import io.authgateway.auth.KeyFetchCounters;
import io.authgateway.config.GatewayConfig;
import io.authgateway.observability.Log;
import io.authgateway.proxy.JdkClientTransport;
import io.authgateway.proxy.UpstreamTransport;
import io.authgateway.routing.RouteTable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running gateway: the JDK {@link HttpServer} on a virtual-thread-per-request executor, wired to
 * the route table, the tenant resolver and the upstream transport. Created by {@link #start} and
 * ended by {@link #stop}.
 */
public final class Gateway {

    private final HttpServer server;
    private final ExecutorService executor;
    private final UpstreamTransport transport;
    private final Lifecycle lifecycle;
    private final AuthRuntime auth;
    private final GatewayConfig config;
    private final Log log;

    private Gateway(HttpServer server, ExecutorService executor, UpstreamTransport transport, Lifecycle lifecycle,
                    AuthRuntime auth, GatewayConfig config, Log log) {
        this.server = server;
        this.executor = executor;
        this.transport = transport;
        this.lifecycle = lifecycle;
        this.auth = auth;
        this.config = config;
        this.log = log;
    }

    public static Gateway start(GatewayConfig config, Log log) throws IOException {
        ServerProperties.apply(config.server());
        var settings = config.server();
        InetSocketAddress address = settings.listenAddress().isEmpty()
                ? new InetSocketAddress(settings.listenPort())
                : new InetSocketAddress(settings.listenAddress(), settings.listenPort());
        HttpServer server = HttpServer.create(address, 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        UpstreamTransport transport = new JdkClientTransport(config.upstreams());
        Lifecycle lifecycle = new Lifecycle();
        RouteTable routes = RouteTable.forMode(config.mode(), false);
        AuthRuntime auth = AuthRuntime.start(config.auth(), Clock.systemUTC(), log);
        server.createContext("/", new GatewayHandler(routes, settings.pathPrefix(), config.upstreams(),
                auth.resolver(), transport, lifecycle, log));
        server.setExecutor(executor);
        server.start();
        Gateway gateway = new Gateway(server, executor, transport, lifecycle, auth, config, log);
        log.info("server listening on addresses", "http", gateway.address());
        return gateway;
    }

    /** JWKS fetch counts, for the metrics registry; empty without {@code -gateway.auth.jwks-url}. */
    public Optional<KeyFetchCounters> jwksCounters() {
        return auth.jwksCounters();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return server.getAddress().getHostString() + ":" + port();
    }

    /** First step of a shutdown: {@code /ready} answers 503 so load balancers stop sending traffic. */
    public void startDraining() {
        lifecycle.startDraining();
    }

    /**
     * Graceful stop: {@code /ready} turns 503, the listener closes, in-flight requests get up to the
     * graceful-shutdown timeout to finish, then everything is closed.
     */
    public void stop() {
        Duration grace = config.server().gracefulShutdownTimeout();
        startDraining();
        log.info("shutting down, waiting for in-flight requests", "timeout", grace.toString());
        long started = System.nanoTime();
        server.stop((int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000));
        executor.shutdownNow();
        transport.close();
        auth.close();
        log.info("server stopped", "took_ms", (System.nanoTime() - started) / 1_000_000);
    }
}

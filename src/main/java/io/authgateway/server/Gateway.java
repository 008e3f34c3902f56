package io.authgateway.server;

import com.sun.net.httpserver.HttpServer;
import io.authgateway.auth.AuthRuntime;
import io.authgateway.auth.KeyFetchCounters;
import io.authgateway.config.GatewayConfig;
import io.authgateway.config.ServerSettings;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.connection.WriteStallFilter;
import io.authgateway.connection.WriteStallWatchdog;
import io.authgateway.jdkserver.JdkConnectionAccess;
import io.authgateway.jdkserver.ServerWarmup;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.TracingSettings;
import io.authgateway.proxy.JdkClientTransport;
import io.authgateway.proxy.SocketTransport;
import io.authgateway.proxy.UpstreamTransport;
import io.authgateway.routing.RouteTable;
import io.authgateway.socketserver.ServerLimits;
import io.authgateway.socketserver.SocketHttpServer;
import io.authgateway.socketserver.SocketServerAccess;
import io.authgateway.websocket.TailRelay;
import io.authgateway.websocket.UpgradingTransport;
import io.authgateway.websocket.WebSocketProxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A running gateway: an {@link HttpServer} (the gateway's own socket server, or the JDK's) on
 * virtual threads, wired to the route table, the tenant resolver and the upstream transport.
 * Created by {@link #start} and ended by {@link #stop}.
 */
public final class Gateway {

    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final UpstreamTransport transport;
    private final GatewayTracing tracing;
    private final Lifecycle lifecycle;
    private final AuthRuntime auth;
    private final GatewayConfig config;
    private final Log log;
    private final WebSocketProxy webSockets;
    private final WriteStallWatchdog watchdog;

    private Gateway(HttpServer server, ExecutorService executor, UpstreamTransport transport, GatewayTracing tracing,
                    Lifecycle lifecycle, AuthRuntime auth, GatewayConfig config, Log log, WebSocketProxy webSockets,
                    WriteStallWatchdog watchdog) {
        this.server = server;
        this.executor = executor;
        this.transport = transport;
        this.tracing = tracing;
        this.lifecycle = lifecycle;
        this.auth = auth;
        this.config = config;
        this.log = log;
        this.webSockets = webSockets;
        this.watchdog = watchdog;
    }

    /**
     * Starts a gateway.
     *
     * @param environment process environment, read for the OpenTelemetry / Jaeger tracing variables
     */
    public static Gateway start(GatewayConfig config, Log log, Map<String, String> environment) throws IOException {
        var settings = config.server();
        InetSocketAddress address = settings.listenAddress().isEmpty()
                ? new InetSocketAddress(settings.listenPort())
                : new InetSocketAddress(settings.listenAddress(), settings.listenPort());
        HttpServer server = server(settings, address, log);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ConnectionAccess access = switch (settings.implementation()) {
            case SOCKET -> new SocketServerAccess();
            case JDK -> JdkConnectionAccess.load();
        };
        WriteStallWatchdog watchdog = WriteStallWatchdog.start(settings.writeTimeout(), log);
        WebSocketProxy webSockets = new WebSocketProxy(access, config.upstreams(), new TailRelay(watchdog), log);
        UpstreamTransport transport = new UpgradingTransport(webSockets, transport(config.upstreams()));
        GatewayTracing tracing = tracing(config, log, environment);
        GatewayMetrics metrics = metrics(config, server, access, log);
        metrics.gauge(config.mode().metricNamespace() + "_open_tails", "WebSocket tails currently relayed.",
                webSockets, proxy -> proxy.openTails(), "protocol", "http");
        Lifecycle lifecycle = new Lifecycle();
        RouteTable routes = RouteTable.forMode(config.mode(), settings.registerInstrumentation());
        AuthRuntime auth = AuthRuntime.start(config.auth(), Clock.systemUTC(), log);
        auth.jwksCounters().ifPresent(counters -> bindJwks(metrics, counters));
        var context = server.createContext("/", new GatewayHandler(routes, settings.pathPrefix(), config.upstreams(),
                auth.resolver(), transport, lifecycle, metrics, tracing, access, log));
        if (access instanceof ConnectionAccess.Unavailable(String reason)) {
            log.error("WebSocket tails answer 501 and -server.http-write-timeout is not enforced: start the JVM with "
                    + JdkConnectionAccess.JVM_OPTION, "err", reason);
        } else {
            context.getFilters().add(new WriteStallFilter(watchdog, access));
        }
        server.setExecutor(executor);
        server.start();
        Gateway gateway = new Gateway(server, executor, transport, tracing, lifecycle, auth, config, log, webSockets, watchdog);
        log.info("server listening on addresses", "http", gateway.address());
        return gateway;
    }

    /** The listener, bound; a port in use fails here. */
    private static HttpServer server(ServerSettings settings, InetSocketAddress address, Log log) throws IOException {
        return switch (settings.implementation()) {
            case SOCKET -> SocketHttpServer.bind(address, BACKLOG, new ServerLimits(settings.readTimeout(),
                    settings.idleTimeout(), settings.connectionLimit(), ServerProperties.MAX_HEADER_BYTES,
                    ServerProperties.MAX_HEADERS), log);
            case JDK -> {
                ServerProperties.apply(settings);
                ServerWarmup.start();
                yield HttpServer.create(address, BACKLOG);
            }
        };
    }

    private static UpstreamTransport transport(UpstreamSettings upstreams) {
        return switch (upstreams.client()) {
            case JDK -> new JdkClientTransport(upstreams);
            case SOCKET -> new SocketTransport(upstreams, () -> new JdkClientTransport(upstreams));
        };
    }

    private static GatewayTracing tracing(GatewayConfig config, Log log, Map<String, String> environment) {
        Optional<TracingSettings> settings = TracingSettings.fromEnvironment(environment, config.mode());
        if (settings.isEmpty()) {
            log.debug("tracing off: no OTEL_EXPORTER_OTLP_* or JAEGER_* endpoint set");
            return GatewayTracing.disabled();
        }
        TracingSettings tracing = settings.get();
        if (!tracing.mapped().isEmpty()) {
            log.info("mapped Jaeger client settings onto OTLP", "mapped", String.join("; ", tracing.mapped()));
        }
        log.info("tracing on", "endpoint", tracing.tracesEndpoint().toString(), "service", tracing.serviceName(),
                "sampler", tracing.sampler());
        return GatewayTracing.create(tracing);
    }

    private static GatewayMetrics metrics(GatewayConfig config, HttpServer server, ConnectionAccess access, Log log) {
        GatewayMetrics metrics = new GatewayMetrics(config.mode(), config.metrics().tenantLabel());
        String namespace = config.mode().metricNamespace();
        Optional<IntSupplier> connections = access.connectionCount(server);
        if (connections.isPresent()) {
            metrics.gauge(namespace + "_tcp_connections", "Current number of accepted TCP connections.",
                    connections.get(), IntSupplier::getAsInt, "protocol", "http");
        } else {
            log.warn("tcp connection gauge unavailable: start the JVM with --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
        }
        int limit = config.server().connectionLimit();
        metrics.gauge(namespace + "_tcp_connections_limit", "The max number of TCP connections that can be accepted (0 means no limit).",
                limit, value -> value, "protocol", "http");
        return metrics;
    }

    private static void bindJwks(GatewayMetrics metrics, KeyFetchCounters counters) {
        metrics.functionCounter("cortex_gateway_jwks_fetches", "JWKS fetches attempted", counters, c -> c.fetches());
        metrics.functionCounter("cortex_gateway_jwks_fetch_failures", "JWKS fetches that failed", counters,
                c -> c.fetchFailures());
        metrics.functionCounter("cortex_gateway_jwks_unknown_kid_refetches", "JWKS refetches caused by an unknown kid",
                counters, c -> c.unknownKidRefetches());
        metrics.gauge("cortex_gateway_jwks_keys", "Usable keys in the current JWKS", counters, c -> c.keys());
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

    /** Open WebSocket tails now: bind as the open-tails gauge. */
    public IntSupplier openTails() {
        return webSockets::openTails;
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
        log.info("shutting down, waiting for in-flight requests", "timeout", grace.toString(),
                "open_tails", webSockets.openTails());
        long started = System.nanoTime();
        // A tail never finishes by itself: close tails now so the grace period serves requests that do.
        webSockets.closeAll();
        server.stop((int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000));
        executor.shutdownNow();
        transport.close();
        tracing.close();
        watchdog.close();
        auth.close();
        log.info("server stopped", "took_ms", (System.nanoTime() - started) / 1_000_000);
    }
}

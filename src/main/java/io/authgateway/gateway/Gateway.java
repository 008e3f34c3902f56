package io.authgateway.gateway;

import com.sun.net.httpserver.HttpServer;
import io.authgateway.access.AccessPolicy;
import io.authgateway.access.DenyReason;
import io.authgateway.auth.AuthRuntime;
import io.authgateway.auth.CertificateTenantResolver;
import io.authgateway.auth.KeyFetchCounters;
import io.authgateway.auth.RevocationWatcher;
import io.authgateway.codec.HeadLimits;
import io.authgateway.config.AuditSettings;
import io.authgateway.config.ClientCertTenant;
import io.authgateway.config.GatewayConfig;
import io.authgateway.config.ListenerTlsSettings;
import io.authgateway.config.ServerSettings;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.jdkclient.JdkClientTransport;
import io.authgateway.jdkclient.JdkDocumentFetcher;
import io.authgateway.limits.Limits;
import io.authgateway.observability.AuditLog;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.TracingSettings;
import io.authgateway.routing.RouteTable;
import io.authgateway.server.ServerLimits;
import io.authgateway.server.SocketServerProvider;
import io.authgateway.upstream.SocketTransport;
import io.authgateway.upstream.UpstreamTls;
import io.authgateway.upstream.UpstreamTransport;
import io.authgateway.websocket.TailRelay;
import io.authgateway.websocket.UpgradingTransport;
import io.authgateway.websocket.WebSocketProxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * A running gateway: an {@link HttpServer} from the gateway's own {@link SocketServerProvider} on
 * virtual threads, wired to the route table, the tenant resolver and the upstream transport. The
 * one place that knows which implementations run; created by {@link #start}, ended by {@link #stop}.
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
    private final AuditLog audit;
    private final ObserveOnly observeOnly;
    private final Limits limits;
    private final GatewayTls tls;

    private Gateway(HttpServer server, ExecutorService executor, UpstreamTransport transport, GatewayTracing tracing,
                    Lifecycle lifecycle, AuthRuntime auth, GatewayConfig config, Log log, WebSocketProxy webSockets,
                    AuditLog audit, ObserveOnly observeOnly, Limits limits, GatewayTls tls) {
        this.audit = audit;
        this.observeOnly = observeOnly;
        this.limits = limits;
        this.tls = tls;
        this.server = server;
        this.executor = executor;
        this.transport = transport;
        this.tracing = tracing;
        this.lifecycle = lifecycle;
        this.auth = auth;
        this.config = config;
        this.log = log;
        this.webSockets = webSockets;
    }

    /**
     * Starts a gateway.
     *
     * @param environment process environment, read for the OpenTelemetry / Jaeger tracing variables
     */
    public static Gateway start(GatewayConfig config, Log log, Map<String, String> environment) throws IOException {
        ServerSettings settings = config.server();
        GatewayTls tls = GatewayTls.start(settings, config.upstreams(), log);
        SocketServerProvider provider = new SocketServerProvider(new ServerLimits(settings.readTimeout(),
                settings.idleTimeout(), settings.writeTimeout(), settings.connectionLimit(), HeadLimits.DEFAULT),
                tls.serverTls(), log);
        HttpServer server = provider.createHttpServer(address(settings), BACKLOG);
        WebSocketProxy webSockets = new WebSocketProxy(config.upstreams(), tls.upstreamTls(),
                new TailRelay(settings.writeTimeout()), log);
        UpstreamTransport transport = new UpgradingTransport(webSockets, transport(config.upstreams(), tls.upstreamTls()));
        GatewayTracing tracing = tracing(config, log, environment);
        GatewayMetrics metrics = metrics(config, provider);
        tls.bindMetrics(metrics);
        metrics.gauge(config.mode().metricNamespace() + "_open_tails", "WebSocket tails currently relayed.",
                webSockets, proxy -> proxy.openTails(), "protocol", "http");
        Lifecycle lifecycle = new Lifecycle();
        RouteTable routes = RouteTable.forMode(config.mode(), settings.registerInstrumentation());
        AuthRuntime auth = AuthRuntime.start(config.auth(), Clock.systemUTC(), log, JdkDocumentFetcher::new);
        auth.jwksCounters().ifPresent(counters -> bindJwks(metrics, counters));
        metrics.declareAuthorizationReasons(Arrays.stream(DenyReason.values()).map(DenyReason::metricLabel).toList());
        auth.revocations().ifPresent(revocations -> bindRevocations(metrics, revocations));
        metrics.functionCounter("cortex_gateway_secret_reload_failures",
                "Polls of -gateway.auth.jwt-secret-file that found it unreadable or empty (the last good secrets stay)",
                auth, AuthRuntime::secretReloadFailures);
        Limits limits = Limits.start(config.limits(), log);
        limits.bind(metrics);
        Outcomes outcomes = new Outcomes(metrics, log);
        ObserveOnly observeOnly = config.auth().observeOnly()
                ? ObserveOnly.start(log, ObserveOnly.REMINDER_INTERVAL) : ObserveOnly.off();
        AccessPolicy policy = new AccessPolicy(config.mode(), config.auth().access().requireScopes());
        CertificateTenantResolver certificates = new CertificateTenantResolver(settings.tls()
                .map(ListenerTlsSettings::clientCertTenant).orElse(ClientCertTenant.OFF), config.auth());
        ProxyEndpoint proxy = new ProxyEndpoint(config.upstreams(), auth.resolver(), certificates, policy, transport,
                metrics, tracing, outcomes, log, observeOnly, limits);
        AuditLog audit = audit(config.audit(), metrics, log);
        server.createContext("/", new GatewayHandler(routes, settings.pathPrefix(), proxy, lifecycle, metrics, tracing,
                outcomes, audit, Clock.systemUTC()));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        Gateway gateway = new Gateway(server, executor, transport, tracing, lifecycle, auth, config, log, webSockets, audit,
                observeOnly, limits, tls);
        log.info("server listening on addresses", "http", gateway.address(), "tls", settings.tls().isPresent());
        return gateway;
    }

    private static InetSocketAddress address(ServerSettings settings) {
        return settings.listenAddress().isEmpty()
                ? new InetSocketAddress(settings.listenPort())
                : new InetSocketAddress(settings.listenAddress(), settings.listenPort());
    }

    private static UpstreamTransport transport(UpstreamSettings upstreams, Optional<UpstreamTls> tls) {
        return switch (upstreams.client()) {
            case JDK -> new JdkClientTransport(upstreams, tls);
            case SOCKET -> new SocketTransport(upstreams, tls);
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

    private static GatewayMetrics metrics(GatewayConfig config, SocketServerProvider provider) {
        GatewayMetrics metrics = new GatewayMetrics(config.mode(), config.metrics().tenantLabel());
        String namespace = config.mode().metricNamespace();
        metrics.gauge(namespace + "_tcp_connections", "Current number of accepted TCP connections.",
                provider, SocketServerProvider::openConnections, "protocol", "http");
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

    private static AuditLog audit(AuditSettings settings, GatewayMetrics metrics, Log log) {
        if (!settings.enabled()) {
            return AuditLog.off();
        }
        AuditLog audit = AuditLog.start(settings.file(), AuditLog.QUEUE_CAPACITY, log);
        metrics.functionCounter("cortex_gateway_audit_lines_written", "Audit lines written", audit, AuditLog::written);
        metrics.functionCounter("cortex_gateway_audit_dropped",
                "Audit lines dropped because the writer's queue was full (requests never wait for the audit log)",
                audit, AuditLog::dropped);
        metrics.functionCounter("cortex_gateway_audit_write_failures", "Audit lines lost to a failed write (full disk, I/O error)",
                audit, AuditLog::writeFailures);
        return audit;
    }

    private static void bindRevocations(GatewayMetrics metrics, RevocationWatcher revocations) {
        metrics.functionCounter("cortex_gateway_revocation_reload_failures",
                "Re-reads of -gateway.auth.revoked-tokens-file that failed (the last good list stays in force)",
                revocations, RevocationWatcher::reloadFailures);
        metrics.gauge("cortex_gateway_revoked_tokens", "Entries of the revocation list in force", revocations,
                watcher -> watcher.current().size());
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
        audit.close();
        observeOnly.close();
        transport.close();
        tracing.close();
        auth.close();
        limits.close();
        tls.close();
        log.info("server stopped", "took_ms", (System.nanoTime() - started) / 1_000_000);
    }
}

package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.StaticTenantResolver;
import io.authgateway.auth.TenantResolver;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogLevel;
import io.authgateway.proxy.ForwardRequest;
import io.authgateway.proxy.ProxyOutcome;
import io.authgateway.proxy.UpstreamTransport;
import io.authgateway.proxy.UpstreamUris;
import io.authgateway.routing.Upstream;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.authgateway.server.GatewayHandler.clientIp;
import static io.authgateway.server.GatewayHandler.fields;
import static io.authgateway.server.GatewayHandler.rawPath;

/**
 * A request on a proxied route: authenticate it, then forward it to its upstream component and
 * record the outcome (auth and upstream metrics, client span, log line). Rejections and upstream
 * failures are answered through {@link Responses}.
 */
final class ProxyEndpoint {

    private final UpstreamSettings upstreams;
    private final TenantResolver resolver;
    private final UpstreamTransport transport;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Log log;
    private final ConnectionAccess connections;
    /** Static-tenant mode authenticates nothing, so, as in Go, it counts nothing. */
    private final boolean countsAuthentications;

    ProxyEndpoint(UpstreamSettings upstreams, TenantResolver resolver, UpstreamTransport transport,
                  GatewayMetrics metrics, GatewayTracing tracing, ConnectionAccess connections, Log log) {
        this.upstreams = upstreams;
        this.resolver = resolver;
        this.transport = transport;
        this.metrics = metrics;
        this.tracing = tracing;
        this.log = log;
        this.connections = connections;
        this.countsAuthentications = !(resolver instanceof StaticTenantResolver);
    }

    void handle(HttpExchange exchange, Upstream upstream, Span span) throws IOException {
        Optional<URI> base = upstreams.address(upstream);
        if (base.isEmpty()) {
            log.info("no upstream configured for this route", fields(span, "path", rawPath(exchange),
                    "missing_flag", "-" + upstream.flagName()));
            Responses.text(exchange, 404, "404 page not found: no " + upstream.displayName()
                    + " configured, set -" + upstream.flagName());
            return;
        }
        if (log.enabled(LogLevel.DEBUG)) {
            log.debug("authenticating request", fields(span, "route", rawPath(exchange), "ip_address", clientIp(exchange)));
        }
        switch (resolver.resolve(exchange.getRequestHeaders())) {
            case AuthResult.Rejected rejected -> {
                metrics.authenticationFailed(rejected.reason());
                span.setAttribute("gateway.auth.failure", rejected.reason().metricLabel());
                span.addEvent("authentication failed");
                log.info(rejected.reason().logMessage(), fields(span, "reason", rejected.reason().metricLabel(),
                        "err", rejected.detail(),
                        "path", rawPath(exchange), "ip_address", clientIp(exchange)));
                Responses.reject(exchange, rejected.reason());
            }
            case AuthResult.Authenticated authenticated -> {
                if (countsAuthentications) {
                    metrics.authenticationSucceeded(authenticated.tenant());
                }
                span.setAttribute("gateway.tenant", authenticated.tenant());
                span.setAttribute("gateway.upstream", upstream.label());
                forward(exchange, upstream, base.get(), authenticated, span);
            }
        }
    }

    private void forward(HttpExchange exchange, Upstream upstream, URI base, AuthResult.Authenticated auth, Span span)
            throws IOException {
        URI uri = exchange.getRequestURI();
        String path = UpstreamUris.joinPath(base, uri.getRawPath());
        Span client = tracing.startClientSpan(span, exchange.getRequestMethod(), upstream.label(),
                tracing.enabled() ? base.getScheme() + "://" + base.getRawAuthority() + path : "");
        Map<String, String> traceHeaders = Map.of();
        Set<String> withheld = auth.withheldHeaders();
        if (tracing.enabled()) {
            traceHeaders = new LinkedHashMap<>();
            tracing.inject(client, traceHeaders::put);
            withheld = new HashSet<>(withheld);
            withheld.addAll(tracing.replacedHeaders());
        }
        metrics.proxied(upstream);
        ProxyOutcome outcome;
        try {
            outcome = transport.forward(exchange, new ForwardRequest(upstream, base, path, uri.getRawQuery(),
                    auth.tenant(), withheld, traceHeaders));
        } catch (RuntimeException e) {
            client.end();
            throw e;
        }
        recordUpstream(outcome, upstream, client);
        if (outcome instanceof ProxyOutcome.Failed failed) {
            log.warn("proxy error", fields(span, "target", upstream.label(), "kind", failed.failure().kind(),
                    "err", failed.detail(), "path", uri.getRawPath(), "org_id", auth.tenant()));
            Responses.failure(exchange, failed.failure());
        } else if (outcome instanceof ProxyOutcome.Aborted aborted) {
            log.info("proxied request aborted", fields(span, "target", upstream.label(), "err", aborted.detail(),
                    "path", uri.getRawPath(), "org_id", auth.tenant()));
            if (aborted.status() > 0 && !connections.abort(exchange)) {
                log.warn("could not abort the client connection; a truncated answer may look complete",
                        "path", uri.getRawPath());
            }
        }
    }

    /** Upstream metrics and the client span's outcome; ends the client span. */
    private void recordUpstream(ProxyOutcome outcome, Upstream upstream, Span client) {
        switch (outcome) {
            case ProxyOutcome.Relayed relayed -> {
                client.setAttribute("http.response.status_code", relayed.status());
                metrics.upstreamAnswered(upstream, relayed.status(), relayed.headersAfter());
            }
            case ProxyOutcome.Failed failed -> {
                client.setStatus(StatusCode.ERROR, failed.failure().kind());
                metrics.upstreamFailed(upstream, failed.failure().kind());
            }
            case ProxyOutcome.Aborted aborted -> {
                if (aborted.status() > 0) {
                    client.setAttribute("http.response.status_code", aborted.status());
                }
                if (aborted.upstreamFault()) {
                    client.setStatus(StatusCode.ERROR, "reset");
                    metrics.upstreamFailed(upstream, "reset");
                }
            }
        }
        client.end();
    }
}

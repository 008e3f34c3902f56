package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.StaticTenantResolver;
import io.authgateway.auth.TenantResolver;
import io.authgateway.codec.RequestTarget;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.limits.Admission;
import io.authgateway.limits.Limits;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Upstream;
import io.authgateway.server.ConnectionControl;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyOutcome;
import io.authgateway.upstream.UpstreamTransport;
import io.authgateway.upstream.UpstreamUris;
import io.opentelemetry.api.trace.Span;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request on a proxied route: authenticate it, then forward it to its upstream component. What
 * came of it is answered and recorded by {@link Outcomes}.
 */
final class ProxyEndpoint {

    private final UpstreamSettings upstreams;
    private final TenantResolver resolver;
    private final UpstreamTransport transport;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Outcomes outcomes;
    private final Log log;
    private final Limits limits;
    /** Static-tenant mode authenticates nothing, so, as in Go, it counts nothing. */
    private final boolean countsAuthentications;

    ProxyEndpoint(UpstreamSettings upstreams, TenantResolver resolver, UpstreamTransport transport,
                  GatewayMetrics metrics, GatewayTracing tracing, Outcomes outcomes, Log log, Limits limits) {
        this.upstreams = upstreams;
        this.resolver = resolver;
        this.transport = transport;
        this.metrics = metrics;
        this.tracing = tracing;
        this.outcomes = outcomes;
        this.log = log;
        this.limits = limits;
        this.countsAuthentications = !(resolver instanceof StaticTenantResolver);
    }

    void handle(HttpExchange exchange, RequestTarget target, Destination.Proxy destination, Span span) throws IOException {
        Upstream upstream = destination.upstream();
        Optional<URI> base = upstreams.address(upstream);
        if (base.isEmpty()) {
            outcomes.upstreamNotConfigured(exchange, span, upstream);
            return;
        }
        if (log.enabled(LogLevel.DEBUG)) {
            log.debug("authenticating request", Outcomes.fields(span, "route", target.path(),
                    "ip_address", Outcomes.clientIp(exchange)));
        }
        switch (resolver.resolve(exchange.getRequestHeaders())) {
            case AuthResult.Rejected rejected -> outcomes.rejected(exchange, span, rejected);
            case AuthResult.Authenticated authenticated -> {
                if (countsAuthentications) {
                    metrics.authenticationSucceeded(authenticated.tenant());
                }
                span.setAttribute("gateway.tenant", authenticated.tenant());
                span.setAttribute("gateway.upstream", upstream.label());
                limitThenForward(exchange, target, destination, base.get(), authenticated, span);
            }
        }
    }

    /** The tenant's limits decide whether the request goes on; nothing is forwarded or read before. */
    private void limitThenForward(HttpExchange exchange, RequestTarget target, Destination.Proxy destination, URI base,
                                  AuthResult.Authenticated auth, Span span) throws IOException {
        List<String> tenants = List.of(auth.tenant());
        switch (limits.limiter().admit(tenants, destination.access().classFor(exchange.getRequestMethod()),
                declaredBodyBytes(exchange))) {
            case Admission.Refused refused -> outcomes.limited(exchange, span, refused, limits.refusalToLog(refused.tenant()));
            case Admission.Unavailable unavailable -> outcomes.limitsUnavailable(exchange, span, unavailable);
            case Admission.Admitted admitted -> {
                if (admitted.permit().chargesBody()) {
                    exchange.setStreams(admitted.permit().meter(exchange.getRequestBody()), null);
                }
                try {
                    forward(exchange, target, destination.upstream(), base, auth, span);
                } finally {
                    admitted.permit().release(ConnectionControl.of(exchange).requestBodyBytes());
                }
            }
        }
    }

    /**
     * {@code Content-Length} (the server has already refused a malformed one), -1 for a chunked
     * body, 0 for none. A length that still does not parse counts as unknown: charged once read.
     */
    private static long declaredBodyBytes(HttpExchange exchange) {
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return -1;
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return 0;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void forward(HttpExchange exchange, RequestTarget target, Upstream upstream, URI base,
                         AuthResult.Authenticated auth, Span span) throws IOException {
        String path = UpstreamUris.joinPath(base, target.path());
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
            outcome = transport.forward(exchange, new ForwardRequest(upstream, base, path, target.query(),
                    auth.tenant(), withheld, traceHeaders));
        } catch (RuntimeException e) {
            client.end();
            throw e;
        }
        outcomes.proxied(exchange, span, client, upstream, auth.tenant(), outcome);
    }
}

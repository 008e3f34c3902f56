package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.RequestTarget;
import io.authgateway.observability.AuditLog;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.HttpMethods;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteTable;
import io.authgateway.server.ConnectionControl;
import io.authgateway.websocket.UpgradeRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Every request enters here: the path is checked and routed, then either answered by a local
 * endpoint or authenticated and forwarded ({@link ProxyEndpoint}). The raw path is what is routed
 * and what is forwarded; a path that is not canonical gets a 301 to its canonical form, as
 * gorilla/mux answered in the Go gateways. Each request is measured (Go metric names) and traced
 * (one server span).
 */
public final class GatewayHandler implements HttpHandler {

    /** nginx's "client closed request": the client left before any answer was sent. */
    private static final int CLIENT_CLOSED = 499;

    private final RouteTable routes;
    private final String pathPrefix;
    private final ProxyEndpoint proxyEndpoint;
    private final Lifecycle lifecycle;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Outcomes outcomes;
    private final AuditLog audit;
    private final Clock clock;

    /** @param clock the audit line's timestamp */
    GatewayHandler(RouteTable routes, String pathPrefix, ProxyEndpoint proxyEndpoint, Lifecycle lifecycle,
                   GatewayMetrics metrics, GatewayTracing tracing, Outcomes outcomes, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        this.routes = routes;
        this.pathPrefix = pathPrefix;
        this.proxyEndpoint = proxyEndpoint;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.tracing = tracing;
        this.outcomes = outcomes;
    }

    /** The request target and its route; route is null for a target that is not canonical. */
    private record Routed(RequestTarget target, Route route) {
        String label() {
            return route == null ? "other" : route.label();
        }

        String path() {
            return route == null ? "other" : route.path();
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        ConnectionControl control = ConnectionControl.of(exchange);
        String method = HttpMethods.label(exchange.getRequestMethod());
        Routed routed = route(control.requestTarget());
        Span span = tracing.enabled() ? tracing.startServerSpan(exchange.getRequestHeaders(), spanName(method, routed),
                method, routed.path()) : Span.getInvalid();
        GatewayMetrics.RouteMeters meters = metrics.route(method, routed.label());
        meters.started();
        AuditEntry auditEntry = startAudit(exchange, routed);
        try (exchange) {
            dispatchOrAnswer500(exchange, routed, span);
        } finally {
            int status = exchange.getResponseCode() == -1 ? CLIENT_CLOSED : exchange.getResponseCode();
            if (auditEntry != null) {
                audit.record(auditEntry.finish(span, Outcomes.clientIp(exchange), exchange.getRequestMethod(),
                        Outcomes.rawPath(exchange), status, control.requestBodyBytes(), control.responseBodyBytes(),
                        (System.nanoTime() - started) / 1000));
            }
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            meters.finished(UpgradeRequest.isWebSocket(exchange.getRequestHeaders()), status,
                    Duration.ofNanos(System.nanoTime() - started), control.requestBodyBytes(), control.responseBodyBytes());
        }
    }

    /** The audit entry of a request on a proxied route, when the audit log is on; else null. */
    private AuditEntry startAudit(HttpExchange exchange, Routed routed) {
        if (!audit.enabled() || routed.route() == null
                || !(routed.route().destination() instanceof Destination.Proxy proxy)) {
            return null;
        }
        return AuditEntry.start(exchange, clock.instant(), proxy.kind().classFor(exchange.getRequestMethod()).label(),
                proxy.upstream().label());
    }

    /**
     * The exchange is closed only after these catch blocks (by the caller): a try-with-resources
     * here would close it first, and the 500 could no longer be sent.
     */
    private void dispatchOrAnswer500(HttpExchange exchange, Routed routed, Span span) {
        try (Scope ignored = tracing.enabled() ? span.makeCurrent() : Scope.noop()) {
            dispatch(exchange, routed, span);
        } catch (IOException e) {
            outcomes.clientFailed(exchange, span, e);
        } catch (RuntimeException e) {
            outcomes.unexpected(exchange, span, e);
        }
    }

    private void dispatch(HttpExchange exchange, Routed routed, Span span) throws IOException {
        if (routed.target() == null) {
            Responses.text(exchange, 400, "Bad Request");
            return;
        }
        if (routed.route() == null) {
            RequestTarget target = routed.target();
            String location = target.canonicalPath() + (target.query() == null ? "" : "?" + target.query());
            Responses.movedPermanently(exchange, location);
            return;
        }
        switch (routed.route().destination()) {
            case Destination.Proxy proxy -> proxyEndpoint.handle(exchange, routed.target(), proxy, span);
            case Destination.Local local -> local(exchange, local, span);
        }
    }

    private void local(HttpExchange exchange, Destination.Local local, Span span) throws IOException {
        switch (local) {
            case HEALTH -> Responses.text(exchange, 200, "ok");
            case READY -> {
                if (lifecycle.ready()) {
                    Responses.text(exchange, 200, "ready");
                } else {
                    Responses.text(exchange, 503, "Service Unavailable");
                }
            }
            case METRICS -> {
                GatewayMetrics.Exposition exposition = metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"));
                Responses.body(exchange, 200, exposition.contentType(), exposition.body().getBytes(StandardCharsets.UTF_8));
            }
            case NOT_FOUND -> outcomes.notFound(exchange, span);
        }
    }

    /** The target as sent ({@code java.net.URI} reads a leading {@code //} as an authority); its path is routed as it is. */
    private Routed route(String requestTarget) {
        RequestTarget target;
        try {
            target = RequestTarget.parse(requestTarget);
        } catch (HttpProtocolException e) {
            return new Routed(null, null);
        }
        if (target.isAsterisk() || !target.isCanonical()) {
            return new Routed(target.isAsterisk() ? null : target, null);
        }
        String routed = withoutPrefix(target.path());
        return new Routed(target, routed == null ? RouteTable.notFound() : routes.match(routed));
    }

    /** {@code METHOD /route/path}, or the label for a request no route names. */
    private static String spanName(String method, Routed routed) {
        boolean named = routed.route() != null && routed.route() != RouteTable.notFound();
        return method + " " + (named ? routed.path() : routed.label());
    }

    /** The path as the route table sees it, or null for a path outside the prefix. */
    private String withoutPrefix(String path) {
        if (pathPrefix.isEmpty()) {
            return path;
        }
        if (path.equals(pathPrefix)) {
            return "/";
        }
        if (path.startsWith(pathPrefix) && path.charAt(pathPrefix.length()) == '/') {
            return path.substring(pathPrefix.length());
        }
        return null;
    }
}

package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.access.Decision;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.Grant;
import io.authgateway.auth.TokenIdentity;
import io.authgateway.limits.Admission;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.routing.RouteClass;
import io.authgateway.routing.Upstream;
import io.authgateway.server.ConnectionControl;
import io.authgateway.upstream.ProxyOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns what happened to a request into what the client gets (status and fixed
 * text, through {@link Responses}), the log line, the metrics and the span's outcome. The client
 * sees short fixed texts only; the cause goes to the log, once, here.
 */
final class Outcomes {

    private final GatewayMetrics metrics;
    private final Log log;

    Outcomes(GatewayMetrics metrics, Log log) {
        this.metrics = metrics;
        this.log = log;
    }

    void rejected(HttpExchange exchange, Span span, AuthResult.Rejected rejected) throws IOException {
        String reason = rejected.reason().metricLabel();
        metrics.authenticationFailed(reason);
        AuditEntry.decided(exchange, AuditEntry.DENIED, reason, rejected.identity());
        span.setAttribute("gateway.auth.failure", reason);
        span.addEvent("authentication failed");
        log.info(rejected.reason().logMessage(), fields(span, "reason", reason, "err", rejected.detail(),
                "path", rawPath(exchange), "ip_address", clientIp(exchange)));
        Responses.text(exchange, rejected.reason().status(), rejected.reason().body());
    }

    /** Authenticated, but not for this: nothing was forwarded. The log names the token's tenants, never the token. */
    void denied(HttpExchange exchange, Span span, Decision.Denied denied, RouteClass routeClass,
                AuthResult.Authenticated authenticated) throws IOException {
        String reason = denied.reason().metricLabel();
        metrics.authorizationDenied(reason);
        span.setAttribute("gateway.authz.denial", reason);
        span.addEvent("authorization denied");
        AuditEntry.decided(exchange, AuditEntry.DENIED, reason, authenticated.identity());
        log.info(denied.reason().logMessage(), fields(span, "reason", reason, "route_class", routeClass.label(),
                "tenants", authenticated.grant().label(), "err", denied.detail(), "path", rawPath(exchange),
                "ip_address", clientIp(exchange)));
        Responses.text(exchange, denied.reason().status(), denied.body());
    }

    /** Observe-only mode: an authentication refusal that is not enforced; the request goes on upstream. */
    void observed(HttpExchange exchange, Span span, AuthResult.Rejected rejected) {
        observed(exchange, span, rejected.reason().metricLabel(), rejected.reason().logMessage(), rejected.detail(),
                rejected.identity());
    }

    /** Observe-only mode: an authorization denial that is not enforced; the request goes on upstream. */
    void observed(HttpExchange exchange, Span span, Decision.Denied denied, RouteClass routeClass,
                  AuthResult.Authenticated authenticated) {
        observed(exchange, span, denied.reason().metricLabel(), denied.reason().logMessage(),
                denied.detail() + " (route class " + routeClass.label() + ", tenants " + authenticated.grant().label() + ")",
                authenticated.identity());
    }

    /**
     * Observe-only mode: a refusal ({@code reason} is its fixed label, as the refusal's own metric
     * and audit line would carry it) that is counted, logged and audited as {@code observed}
     * instead of answered.
     */
    private void observed(HttpExchange exchange, Span span, String reason, String logMessage, String detail,
                          TokenIdentity identity) {
        metrics.observedRejection(reason);
        span.setAttribute("gateway.observed_rejection", reason);
        AuditEntry.decided(exchange, AuditEntry.OBSERVED, reason, identity);
        log.info("observe-only: forwarding a request that would be refused (" + logMessage + ")", fields(span,
                "reason", reason, "err", detail, "path", rawPath(exchange), "ip_address", clientIp(exchange)));
    }

    /**
     * A request over a per-tenant limit: 429 with {@code Retry-After}, before anything was forwarded
     * or more of the body read. Counted always, logged when the per-tenant throttle lets it.
     *
     * @param unlogged refusals of this tenant not logged since its last line, or -1 not to log this one
     */
    void limited(HttpExchange exchange, Span span, Admission.Refused refused, long unlogged) throws IOException {
        String limitClass = refused.limitClass().label();
        String limit = refused.limit().label();
        metrics.limited(limitClass, limit, refused.tenant());
        span.setAttribute("gateway.limit", limitClass + ":" + limit);
        AuditEntry.denied(exchange, "limited_" + limit);
        if (unlogged >= 0) {
            log.info("request over a tenant limit, answered 429", fields(span, "org_id", refused.tenant(),
                    "class", limitClass, "limit", limit, "retry_after", refused.retryAfter().toSeconds(),
                    "not_logged_since_last", unlogged, "path", rawPath(exchange)));
        }
        exchange.getResponseHeaders().set("Retry-After", Long.toString(refused.retryAfter().toSeconds()));
        Responses.text(exchange, 429, refused.limit().text());
    }

    /** The limits store failed and fail-closed is set: 503, the store errors are counted by the store. */
    void limitsUnavailable(HttpExchange exchange, Span span, Admission.Unavailable unavailable) throws IOException {
        span.setAttribute("gateway.limit", "store_unavailable");
        AuditEntry.denied(exchange, "limits_store_unavailable");
        log.warn("limits store unavailable, answered 503", fields(span, "err", unavailable.detail(),
                "path", rawPath(exchange)));
        exchange.getResponseHeaders().set("Retry-After", "1");
        Responses.text(exchange, 503, "Service Unavailable: limits store unavailable");
    }

    void upstreamNotConfigured(HttpExchange exchange, Span span, Upstream upstream) throws IOException {
        log.info("no upstream configured for this route", fields(span, "path", rawPath(exchange),
                "missing_flag", "-" + upstream.flagName()));
        Responses.text(exchange, 404, "404 page not found: no " + upstream.displayName()
                + " configured, set -" + upstream.flagName());
    }

    void notFound(HttpExchange exchange, Span span) throws IOException {
        log.info("no request handler defined for this route", fields(span, "route", rawPath(exchange),
                "ip_address", clientIp(exchange)));
        Responses.text(exchange, 404, "404 page not found");
    }

    /** Records a proxied request's outcome (upstream metrics, client span, log) and answers what is left to answer. */
    void proxied(HttpExchange exchange, Span span, Span client, Upstream upstream, String tenant, Object[] credential,
                 ProxyOutcome outcome) throws IOException {
        String path = rawPath(exchange);
        AuditEntry.forwarded(exchange, tenant);
        switch (outcome) {
            case ProxyOutcome.Relayed relayed -> {
                client.setAttribute("http.response.status_code", relayed.status());
                metrics.upstreamAnswered(upstream, relayed.status(), relayed.headersAfter());
            }
            case ProxyOutcome.Failed failed -> {
                client.setStatus(StatusCode.ERROR, failed.failure().kind());
                metrics.upstreamFailed(upstream, failed.failure().kind());
                log.warn("proxy error", fields(span, with(credential, "target", upstream.label(), "kind",
                        failed.failure().kind(), "err", failed.detail(), "path", path, "org_id", tenant)));
                Responses.text(exchange, failed.failure().status(), failed.failure().body());
            }
            case ProxyOutcome.Malformed malformed -> {
                client.setStatus(StatusCode.ERROR, "request");
                log.info("request body malformed, upstream request aborted", fields(span, with(credential, "target",
                        upstream.label(), "status", malformed.status(), "err", malformed.detail(), "path", path,
                        "org_id", tenant)));
                if (exchange.getResponseCode() == -1) {
                    Responses.text(exchange, malformed.status(), malformed.text());
                }
            }
            case ProxyOutcome.Aborted aborted -> {
                if (aborted.status() > 0) {
                    client.setAttribute("http.response.status_code", aborted.status());
                    ConnectionControl.of(exchange).abort();
                }
                if (aborted.upstreamFault()) {
                    client.setStatus(StatusCode.ERROR, "reset");
                    metrics.upstreamFailed(upstream, "reset");
                }
                log.info("proxied request aborted", fields(span, with(credential, "target", upstream.label(), "err",
                        aborted.detail(), "path", path, "org_id", tenant)));
            }
        }
        client.end();
    }

    void clientFailed(HttpExchange exchange, Span span, IOException e) {
        log.debug("client connection failed", fields(span, "path", rawPath(exchange), "err", e.toString()));
    }

    /** A bug: logged with its cause, answered 500 if nothing was answered yet. */
    void unexpected(HttpExchange exchange, Span span, RuntimeException e) {
        log.error("request failed unexpectedly", fields(span, "path", rawPath(exchange), "err", e.toString()));
        span.recordException(e);
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            Responses.text(exchange, 500, "Internal Server Error");
        } catch (IOException failed) {
            log.debug("could not send 500, client gone", "err", failed.toString());
        }
    }

    /** A log line's fields followed by those naming the client certificate, if one authenticated the request. */
    private static Object[] with(Object[] credential, Object... keyValues) {
        if (credential.length == 0) {
            return keyValues;
        }
        Object[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + credential.length);
        System.arraycopy(credential, 0, all, keyValues.length, credential.length);
        return all;
    }

    static Object[] fields(Span span, Object... keyValues) {
        List<Object> traceFields = GatewayTracing.logFields(span);
        if (traceFields.isEmpty()) {
            return keyValues;
        }
        List<Object> all = new ArrayList<>(List.of(keyValues));
        all.addAll(traceFields);
        return all.toArray();
    }

    static String rawPath(HttpExchange exchange) {
        String target = ConnectionControl.of(exchange).requestTarget();
        int question = target.indexOf('?');
        return question < 0 ? target : target.substring(0, question);
    }

    static String clientIp(HttpExchange exchange) {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }
}

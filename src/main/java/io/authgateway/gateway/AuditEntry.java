package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.auth.TokenIdentity;
import io.authgateway.observability.AuditRecord;
import io.opentelemetry.api.trace.Span;

import java.time.Instant;

/**
 * The audit line of one request on a proxied route while the request is handled: the handler
 * starts it (when the audit log is on) and keeps it on the exchange; {@link Outcomes} notes the
 * decision and its reason, and what was forwarded; the handler finishes it once the answer is out.
 * Used by the one thread that handles the request. Every note is a no-op when the audit log is off.
 */
final class AuditEntry {

    static final String ALLOWED = "allowed";
    static final String DENIED = "denied";
    static final String OBSERVED = "observed";

    private static final String ATTRIBUTE = AuditEntry.class.getName();

    private final Instant arrived;
    private final String routeClass;
    private final String upstream;
    private TokenIdentity identity = TokenIdentity.NONE;
    private String tenant;
    private String decision;
    private String reason;
    private String certSubject;
    private String certSerial;

    private AuditEntry(Instant arrived, String routeClass, String upstream) {
        this.arrived = arrived;
        this.routeClass = routeClass;
        this.upstream = upstream;
    }

    static AuditEntry start(HttpExchange exchange, Instant arrived, String routeClass, String upstream) {
        AuditEntry entry = new AuditEntry(arrived, routeClass, upstream);
        exchange.setAttribute(ATTRIBUTE, entry);
        return entry;
    }

    /** A refusal ({@link #DENIED}) or a refusal not enforced ({@link #OBSERVED}), with its reason label. */
    static void decided(HttpExchange exchange, String decision, String reason, TokenIdentity identity) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof AuditEntry entry) {
            entry.decision = decision;
            entry.reason = reason;
            entry.identity = identity;
        }
    }

    /** A refusal after authentication (a limit, an unavailable store): the identity noted earlier stays. */
    static void denied(HttpExchange exchange, String reason) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof AuditEntry entry) {
            entry.decision = DENIED;
            entry.reason = reason;
        }
    }

    /** The verified client certificate the request was authenticated with. */
    static void certificate(HttpExchange exchange, String subject, String serial) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof AuditEntry entry) {
            entry.certSubject = subject;
            entry.certSerial = serial;
        }
    }

    /** Who the verified token says the client is. */
    static void identified(HttpExchange exchange, TokenIdentity identity) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof AuditEntry entry) {
            entry.identity = identity;
        }
    }

    /** The request went upstream with this {@code X-Scope-OrgID} (null: none); allowed unless already decided otherwise. */
    static void forwarded(HttpExchange exchange, String tenant) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof AuditEntry entry) {
            entry.tenant = tenant;
            if (entry.decision == null) {
                entry.decision = ALLOWED;
            }
        }
    }

    AuditRecord finish(Span span, String clientIp, String method, String path, int status, long bytesIn, long bytesOut,
                       long durationMicros) {
        return new AuditRecord(arrived, requestId(span), clientIp, method, path, routeClass, upstream, tenant,
                identity.sub(), identity.jti(), identity.kid(), identity.alg(), certSubject, certSerial, decision, reason, status,
                bytesIn, bytesOut, durationMicros);
    }

    /** The trace id when the request is traced, so the audit line and the trace meet; else null: the writer makes a random one. */
    private static String requestId(Span span) {
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }
}

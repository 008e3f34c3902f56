package io.authgateway.access;

/**
 * Why an authenticated request may not do what it asks. One place decides the status, the fixed
 * body, the {@code reason} label of {@code cortex_gateway_authorization_denials_total} and the log
 * message, as {@code RejectReason} does for authentication.
 */
public enum DenyReason {
    /** The body names the missing scope: {@code Forbidden: token lacks scope metrics:write}. */
    SCOPE_MISSING(403, "Forbidden: token lacks scope ", "scope_missing", "token lacks the scope for this request"),
    TENANT_NOT_ALLOWED(403, "Tenant not allowed", "tenant_not_allowed", "tenant not allowed for this token"),
    WRITE_NEEDS_ONE_TENANT(400, "Choose one tenant for writes", "write_needs_one_tenant",
            "a write from a tenant-list token must choose one tenant");

    private final int status;
    private final String body;
    private final String metricLabel;
    private final String logMessage;

    DenyReason(int status, String body, String metricLabel, String logMessage) {
        this.status = status;
        this.body = body;
        this.metricLabel = metricLabel;
        this.logMessage = logMessage;
    }

    public int status() {
        return status;
    }

    /** The fixed text the client sees (for {@link #SCOPE_MISSING}, the start of it). */
    public String body() {
        return body;
    }

    public String metricLabel() {
        return metricLabel;
    }

    public String logMessage() {
        return logMessage;
    }
}

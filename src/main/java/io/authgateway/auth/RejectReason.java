package io.authgateway.auth;

/**
 * Why a request was not authenticated. One place decides the status, the fixed body the client
 * sees (reference §4), the {@code reason} label of {@code failed_authentications_total} and the
 * log message.
 */
public enum RejectReason {
    NO_TOKEN(401, "No bearer token provided", "no_token", "no bearer token provided"),
    TOKEN_NOT_VALID(401, "Invalid bearer token", "token_not_valid", "invalid bearer token"),
    TENANT_ID_NOT_VALID(401, "Invalid Tenant ID", "tenant_id_not_valid", "invalid tenant id"),
    /** A good token listed in {@code -gateway.auth.revoked-tokens-file}: the client sees what any bad token gets. */
    TOKEN_REVOKED(401, "Invalid bearer token", "token_revoked", "revoked token"),
    /** A verified client certificate whose chosen field holds no valid tenant ID. */
    CERTIFICATE_TENANT_NOT_VALID(401, "Invalid Tenant ID", "certificate_tenant_not_valid",
            "client certificate names no valid tenant id"),
    /** The token needs a JWKS key and none is loaded yet: a retry may succeed, so not a 401. */
    KEYS_UNAVAILABLE(503, "Keys unavailable", "keys_unavailable", "signing keys unavailable");

    private final int status;
    private final String body;
    private final String metricLabel;
    private final String logMessage;

    RejectReason(int status, String body, String metricLabel, String logMessage) {
        this.status = status;
        this.body = body;
        this.metricLabel = metricLabel;
        this.logMessage = logMessage;
    }

    public int status() {
        return status;
    }

    /** The short fixed text sent to the client (without the trailing newline). */
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

package io.authgateway.auth;

import java.util.Optional;

/** The outcome of authenticating one request. */
public sealed interface AuthResult {

    /**
     * The request may pass with this tenant.
     *
     * @param tenant      the value for {@code X-Scope-OrgID}, already validated
     * @param tokenHeader the header the token came from, empty in static-tenant mode
     */
    record Authenticated(String tenant, Optional<String> tokenHeader) implements AuthResult {
    }

    /**
     * The request is refused.
     *
     * @param reason what the client sees and what is counted
     * @param detail the cause, for the log only (never contains the token)
     */
    record Rejected(RejectReason reason, String detail) implements AuthResult {
    }
}

package io.authgateway.auth;

import java.util.Set;

/** The outcome of authenticating one request. */
public sealed interface AuthResult {

    /**
     * The request may pass with this tenant.
     *
     * @param tenant          the value for {@code X-Scope-OrgID}, already validated
     * @param withheldHeaders lower-case names of request headers that must not reach the upstream:
     *                        every header a token may come in, unless {@code -gateway.auth.forward-token}
     */
    record Authenticated(String tenant, Set<String> withheldHeaders) implements AuthResult {
        public Authenticated {
            withheldHeaders = Set.copyOf(withheldHeaders);
        }
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

package io.authgateway.auth;

import java.util.Optional;
import java.util.Set;

/** The outcome of authenticating one request. */
public sealed interface AuthResult {

    /**
     * The request's credential is good; what it may do is decided next, per route class.
     *
     * @param grant           the tenants and scopes the credential carries, already validated
     * @param chosenTenants   the tenants the credential itself chose (a Basic username), checked
     *                        against the grant like a client's {@code X-Scope-OrgID}
     * @param withheldHeaders lower-case names of request headers that must not reach the upstream:
     *                        every header a token may come in, unless {@code -gateway.auth.forward-token}
     * @param identity        the token's {@code sub}, {@code jti}, {@code kid}, {@code alg}, for the audit line
     */
    record Authenticated(Grant grant, Optional<String> chosenTenants, Set<String> withheldHeaders, TokenIdentity identity)
            implements AuthResult {
        public Authenticated {
            withheldHeaders = Set.copyOf(withheldHeaders);
        }
    }

    /**
     * The request is refused.
     *
     * @param reason   what the client sees and what is counted
     * @param detail   the cause, for the log only (never contains the token)
     * @param identity what is known of a token that verified but is refused (revoked), else {@link TokenIdentity#NONE}
     * @param verifiedTenant the single tenant such a token verifiably names (what observe-only mode
     *                       forwards), else null
     */
    record Rejected(RejectReason reason, String detail, TokenIdentity identity, String verifiedTenant)
            implements AuthResult {
        public Rejected(RejectReason reason, String detail) {
            this(reason, detail, TokenIdentity.NONE, null);
        }
    }
}

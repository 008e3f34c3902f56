package io.authgateway.auth;

import com.google.gson.JsonObject;

/** The outcome of checking a token's structure, signature and claims. */
public sealed interface Verification {

    /**
     * Signature and claims are good; {@code claims} is the decoded payload, {@code identity} what
     * the log and the audit line say about the token.
     */
    record Valid(JsonObject claims, TokenIdentity identity) implements Verification {
        public Valid(JsonObject claims) {
            this(claims, TokenIdentity.NONE);
        }
    }

    /**
     * A good token that {@code -gateway.auth.revoked-tokens-file} lists; {@code detail} says by
     * which entry, for the log (never the token); {@code claims} are its verified payload, which
     * observe-only mode forwards the tenant of.
     */
    record Revoked(JsonObject claims, TokenIdentity identity, String detail) implements Verification {
    }

    /** The token is not acceptable; {@code detail} says why, for the log. */
    record Invalid(String detail) implements Verification {
    }

    /** The token may be fine but the keys to check it are not loaded yet (JWKS not fetched). */
    record Unavailable(String detail) implements Verification {
    }
}

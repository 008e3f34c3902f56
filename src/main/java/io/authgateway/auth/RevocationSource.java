package io.authgateway.auth;

/** Where the token verifier finds the revoked tokens in force now. */
@FunctionalInterface
public interface RevocationSource {

    /** No revocation list configured. */
    RevocationSource NONE = () -> RevokedTokens.NONE;

    RevokedTokens current();
}

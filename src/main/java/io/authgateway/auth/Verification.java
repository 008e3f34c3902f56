package io.authgateway.auth;

import com.google.gson.JsonObject;

/** The outcome of checking a token's structure, signature and claims. */
public sealed interface Verification {

    /** Signature and claims are good; {@code claims} is the decoded payload. */
    record Valid(JsonObject claims) implements Verification {
    }

    /** The token is not acceptable; {@code detail} says why, for the log. */
    record Invalid(String detail) implements Verification {
    }

    /** The token may be fine but the keys to check it are not loaded yet (JWKS not fetched). */
    record Unavailable(String detail) implements Verification {
    }
}

package io.authgateway.auth;

import com.google.gson.JsonObject;

/** The outcome of checking a token's signature and time claims. */
public sealed interface Verification {

    /** Signature and time claims are good; {@code claims} is the decoded payload. */
    record Valid(JsonObject claims) implements Verification {
    }

    /** The token is not acceptable; {@code detail} says why, for the log. */
    record Invalid(String detail) implements Verification {
    }
}

package io.authgateway.auth;

import com.google.gson.JsonObject;

/**
 * Who a verified token says its holder is, for the log and the audit line: its {@code sub} and
 * {@code jti} claims and its header's {@code kid} and {@code alg}. Taken once, when the token is
 * verified, and cached with it; each part is null when the token does not carry it (or carries
 * something other than a string). Never holds the token or a secret.
 */
public record TokenIdentity(String sub, String jti, String kid, String alg) {

    /** Nothing known: no token, or a static tenant. */
    public static final TokenIdentity NONE = new TokenIdentity(null, null, null, null);

    static TokenIdentity of(CompactJws jws, JsonObject claims) {
        return new TokenIdentity(Base64Json.stringMember(claims, "sub"), Base64Json.stringMember(claims, "jti"),
                jws.kid().orElse(null), jws.alg());
    }
}

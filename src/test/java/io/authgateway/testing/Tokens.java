package io.authgateway.testing;

import com.google.gson.JsonObject;
import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.auth.ClaimValidator;
import io.authgateway.auth.HmacKeySource;
import io.authgateway.auth.HmacKeys;
import io.authgateway.auth.HmacTokenSigner;
import io.authgateway.auth.TokenVerifier;
import io.authgateway.config.ClaimRules;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Mints tokens for tests with the shared test secret. */
public final class Tokens {

    public static final String SECRET = "test-secret";

    private Tokens() {
    }

    public static String forTenant(String tenant) {
        JsonObject claims = new JsonObject();
        claims.addProperty("tenant_id", tenant);
        return sign(claims);
    }

    public static String sign(JsonObject claims) {
        return signer(HmacAlgorithm.HS256, SECRET).sign(claims);
    }

    public static String signRaw(String header, String payload) {
        return signer(HmacAlgorithm.HS256, SECRET).signRaw(header, payload);
    }

    public static HmacTokenSigner signer(HmacAlgorithm algorithm, String secret) {
        return new HmacTokenSigner(algorithm, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A verifier as the gateway builds it, with these HMAC secrets and no JWKS. */
    public static TokenVerifier verifier(Clock clock, ClaimRules rules, String... secrets) {
        return new TokenVerifier(HmacKeySource.fixed(HmacKeys.of(List.of(secrets))), Optional.empty(),
                new ClaimValidator(rules), rules.clockSkew().toSeconds(), clock);
    }

    public static JsonObject claims(String json) {
        return com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    }
}

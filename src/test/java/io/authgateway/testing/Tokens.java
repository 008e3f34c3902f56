package io.authgateway.testing;

import com.google.gson.JsonObject;
import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.auth.HmacTokenSigner;

import java.nio.charset.StandardCharsets;

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

    public static JsonObject claims(String json) {
        return com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    }
}

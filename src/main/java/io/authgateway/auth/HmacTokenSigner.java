package io.authgateway.auth;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Mints compact HS256/384/512 tokens, for the token CLI and tests. */
public final class HmacTokenSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Gson GSON = new Gson();

    private final HmacAlgorithm algorithm;
    private final byte[] secret;

    public HmacTokenSigner(HmacAlgorithm algorithm, byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty HMAC secret");
        }
        this.algorithm = algorithm;
        this.secret = secret.clone();
    }

    public String sign(JsonObject claims) {
        JsonObject header = new JsonObject();
        header.addProperty("alg", algorithm.name());
        header.addProperty("typ", "JWT");
        return signRaw(GSON.toJson(header), GSON.toJson(claims));
    }

    /** Signs arbitrary header and payload text as given, for tests of malformed tokens. */
    public String signRaw(String headerJson, String payloadJson) {
        String input = B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(secret, algorithm.jcaName()));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + algorithm.jcaName(), e);
        }
    }
}

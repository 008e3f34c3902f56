package io.authgateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies compact HS256/HS384/HS512 JWS tokens against one or more secrets and checks
 * {@code exp}, {@code nbf} and {@code iat} when present (golang-jwt v4 semantics, which the Go
 * fork used). Unsigned ({@code alg: none}), asymmetric, JWE (five-segment) and malformed tokens
 * are invalid.
 *
 * <p>The HMAC itself is computed with {@code javax.crypto.Mac}: jjwt refuses keys shorter than the
 * hash (RFC 7518 §3.2), even to verify, and existing Go deployments use such secrets.
 */
public final class HmacTokenVerifier {

    private final List<Map<HmacAlgorithm, Mac>> keys;
    private final Clock clock;

    public HmacTokenVerifier(List<byte[]> secrets, Clock clock) {
        List<Map<HmacAlgorithm, Mac>> prepared = new ArrayList<>();
        for (byte[] secret : secrets) {
            Map<HmacAlgorithm, Mac> perAlgorithm = new EnumMap<>(HmacAlgorithm.class);
            for (HmacAlgorithm alg : HmacAlgorithm.values()) {
                perAlgorithm.put(alg, initialised(alg, secret));
            }
            prepared.add(perAlgorithm);
        }
        this.keys = List.copyOf(prepared);
        this.clock = clock;
    }

    public Verification verify(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return new Verification.Invalid(token.chars().filter(c -> c == '.').count() == 4
                    ? "encrypted (JWE) tokens are not accepted" : "token is not a compact JWS with three segments");
        }
        JsonObject header = decodeObject(token.substring(0, firstDot));
        if (header == null) {
            return new Verification.Invalid("token header is not base64url-encoded JSON");
        }
        String alg = stringMember(header, "alg");
        if (alg == null) {
            return new Verification.Invalid("token header has no alg");
        }
        Optional<HmacAlgorithm> algorithm = HmacAlgorithm.fromJwsName(alg);
        if (algorithm.isEmpty()) {
            return new Verification.Invalid("unexpected signing method: " + sanitize(alg));
        }
        byte[] signature = decode(token.substring(secondDot + 1));
        if (signature == null || !signatureMatches(algorithm.get(), token.substring(0, secondDot), signature)) {
            return new Verification.Invalid("signature is invalid");
        }
        JsonObject claims = decodeObject(token.substring(firstDot + 1, secondDot));
        if (claims == null) {
            return new Verification.Invalid("token payload is not a base64url-encoded JSON object");
        }
        String timeProblem = checkTimes(claims, clock.millis() / 1000.0);
        return timeProblem == null ? new Verification.Valid(claims) : new Verification.Invalid(timeProblem);
    }

    private boolean signatureMatches(HmacAlgorithm algorithm, String signingInput, byte[] signature) {
        byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
        for (Map<HmacAlgorithm, Mac> key : keys) {
            Mac mac = copy(key.get(algorithm));
            if (MessageDigest.isEqual(mac.doFinal(input), signature)) {
                return true;
            }
        }
        return false;
    }

    /** Go v4: exp must be after now, nbf and iat not after now; each only when present. */
    static String checkTimes(JsonObject claims, double now) {
        Double exp = numericClaim(claims, "exp");
        Double nbf = numericClaim(claims, "nbf");
        Double iat = numericClaim(claims, "iat");
        if (Double.isNaN(orZero(exp)) || Double.isNaN(orZero(nbf)) || Double.isNaN(orZero(iat))) {
            return "a time claim (exp, nbf, iat) is not a number";
        }
        if (exp != null && now >= exp) {
            return "token is expired";
        }
        if (nbf != null && now < nbf) {
            return "token is not valid yet";
        }
        if (iat != null && now < iat) {
            return "token used before issued";
        }
        return null;
    }

    /** Null when absent, NaN when present but not a number. */
    private static Double numericClaim(JsonObject claims, String name) {
        JsonElement value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            return p.getAsDouble();
        }
        return Double.NaN;
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    static JsonObject decodeObject(String segment) {
        byte[] json = decode(segment);
        if (json == null) {
            return null;
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(new String(json, StandardCharsets.UTF_8)));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = com.google.gson.JsonParser.parseReader(reader);
            return element.isJsonObject() && reader.peek() == com.google.gson.stream.JsonToken.END_DOCUMENT
                    ? element.getAsJsonObject() : null;
        } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
            return null;
        }
    }

    static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String stringMember(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }

    /** Keeps attacker-chosen text in log lines short and printable. */
    static String sanitize(String text) {
        String cut = text.length() > 32 ? text.substring(0, 32) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Mac initialised(HmacAlgorithm alg, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(alg.jcaName());
            // SecretKeySpec refuses an empty key; config validation refuses empty secrets before this.
            mac.init(new SecretKeySpec(secret, alg.jcaName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + alg.jcaName(), e);
        }
    }

    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("Mac provider does not support clone", e);
        }
    }
}

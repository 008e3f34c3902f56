package io.authgateway.auth;

import com.google.gson.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The structure of a compact JWS, checked before any key is looked at: at most 16 KiB, exactly
 * three base64url segments (five segments, a JWE, is refused), a JSON header with a string
 * {@code alg}, no {@code crit} (this gateway understands no critical extension, so any listed one is
 * unknown, RFC 7515 §4.1.11) and no {@code zip}. Key-carrying header parameters ({@code jku},
 * {@code x5u}, {@code x5c}, {@code jwk}) are never read.
 *
 * @param alg          the header's {@code alg}
 * @param kid          the header's {@code kid}, if a string
 * @param signingInput {@code header.payload} as sent
 * @param signature    the decoded signature bytes
 * @param payload      the payload segment, still encoded: decoded only after the signature checks out
 * @param compact      the whole token as received
 */
public record CompactJws(String alg, Optional<String> kid, String signingInput, byte[] signature, String payload,
                         String compact) {

    /** Longer tokens are refused without decoding anything. */
    public static final int MAX_LENGTH = 16 * 1024;

    /** What {@link #parse} found. */
    public sealed interface Parsed {
    }

    public record WellFormed(CompactJws token) implements Parsed {
    }

    public record Malformed(String detail) implements Parsed {
    }

    public static Parsed parse(String token) {
        if (token.length() > MAX_LENGTH) {
            return new Malformed("token longer than " + MAX_LENGTH + " characters");
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return new Malformed(token.chars().filter(c -> c == '.').count() == 4
                    ? "encrypted (JWE) tokens are not accepted" : "token is not a compact JWS with three segments");
        }
        JsonObject header = Base64Json.decodeObject(token.substring(0, firstDot));
        if (header == null) {
            return new Malformed("token header is not base64url-encoded JSON");
        }
        String alg = Base64Json.stringMember(header, "alg");
        if (alg == null) {
            return new Malformed("token header has no alg");
        }
        if (header.has("crit")) {
            return new Malformed("token header lists critical parameters this gateway does not understand");
        }
        if (header.has("zip")) {
            return new Malformed("compressed tokens are not accepted");
        }
        byte[] signature = Base64Json.decode(token.substring(secondDot + 1));
        if (signature == null || !isAscii(token)) {
            return new Malformed("token is not base64url-encoded");
        }
        return new WellFormed(new CompactJws(alg, Optional.ofNullable(Base64Json.stringMember(header, "kid")),
                token.substring(0, secondDot), signature, token.substring(firstDot + 1, secondDot), token));
    }

    /** The signing input as bytes, for the HMAC. */
    public byte[] signingInputBytes() {
        return signingInput.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isAscii(String token) {
        return token.chars().allMatch(c -> c > 32 && c < 127);
    }
}

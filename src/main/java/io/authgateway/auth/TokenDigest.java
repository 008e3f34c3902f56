package io.authgateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a whole compact token, as four longs: the key of the verified-token cache and of
 * the {@code sha256:} entries of the revocation list, so a token is hashed once per request and
 * the token itself is never kept.
 */
public record TokenDigest(long a, long b, long c, long d) {

    private static final MessageDigest PROTOTYPE = sha256();

    public static TokenDigest of(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 provider does not support clone", e);
        }
        return of(digest.digest(token.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** @param hex 64 hex digits, either case */
    public static TokenDigest fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public String hex() {
        ByteBuffer bytes = ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d);
        return HexFormat.of().formatHex(bytes.array());
    }

    private static TokenDigest of(byte[] hash) {
        ByteBuffer buffer = ByteBuffer.wrap(hash);
        return new TokenDigest(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}

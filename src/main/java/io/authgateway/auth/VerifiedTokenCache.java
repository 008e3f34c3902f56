package io.authgateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose HMAC signature and claims were already verified, so a client that sends the same
 * token on every request (Prometheus, Alloy, Promtail) costs a hash and a map lookup instead of a
 * verification. Keys are the SHA-256 of the token (the token itself is not kept). An entry is
 * used only while the secrets it was verified with are still the ones in force, and only inside
 * its {@code nbf}/{@code iat}..{@code exp} window (with the clock skew); the claims that do not
 * depend on time (audience, issuer, version, tenant) cannot change for the same bytes. Bounded: when
 * full it is emptied and refills with the tokens in use.
 */
final class VerifiedTokenCache {

    private record Key(long a, long b, long c, long d) {
    }

    private record Entry(Verification.Valid valid, HmacKeys keys, double validFrom, double validUntil) {
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final double skewSeconds;
    private final MessageDigest prototype;

    VerifiedTokenCache(int maxEntries, Duration clockSkew) {
        this.maxEntries = maxEntries;
        this.skewSeconds = clockSkew.toMillis() / 1000.0;
        try {
            this.prototype = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** The earlier verification of this token, if it still holds for {@code keys} at {@code now}; else null. */
    Verification.Valid lookup(String token, HmacKeys keys, Instant now) {
        Key key = keyOf(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        double seconds = now.toEpochMilli() / 1000.0;
        if (entry.keys() != keys || seconds >= entry.validUntil()) {
            entries.remove(key, entry);
            return null;
        }
        return seconds >= entry.validFrom() ? entry.valid() : null;
    }

    void remember(String token, HmacKeys keys, Verification.Valid valid) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        JsonObject claims = valid.claims();
        double from = Math.max(number(claims, "nbf", Double.NEGATIVE_INFINITY), number(claims, "iat", Double.NEGATIVE_INFINITY));
        double until = number(claims, "exp", Double.POSITIVE_INFINITY);
        entries.put(keyOf(token), new Entry(valid, keys, from - skewSeconds, until + skewSeconds));
    }

    int size() {
        return entries.size();
    }

    private Key keyOf(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 provider does not support clone", e);
        }
        ByteBuffer hash = ByteBuffer.wrap(digest.digest(token.getBytes(StandardCharsets.ISO_8859_1)));
        return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    private static double number(JsonObject claims, String name, double absent) {
        JsonElement value = claims.get(name);
        return value instanceof JsonPrimitive p && p.isNumber() ? p.getAsDouble() : absent;
    }
}

package io.authgateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

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

    private record Entry(Verification.Valid valid, HmacKeys keys, double validFrom, double validUntil) {
    }

    private final Map<TokenDigest, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final double skewSeconds;

    VerifiedTokenCache(int maxEntries, Duration clockSkew) {
        this.maxEntries = maxEntries;
        this.skewSeconds = clockSkew.toMillis() / 1000.0;
    }

    /** The earlier verification of this token, if it still holds for {@code keys} at {@code now}; else null. */
    Verification.Valid lookup(String token, HmacKeys keys, Instant now) {
        return lookup(TokenDigest.of(token), keys, now);
    }

    /** As {@link #lookup(String, HmacKeys, Instant)}, for a token whose digest the caller already has. */
    Verification.Valid lookup(TokenDigest key, HmacKeys keys, Instant now) {
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
        remember(TokenDigest.of(token), keys, valid);
    }

    void remember(TokenDigest key, HmacKeys keys, Verification.Valid valid) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        JsonObject claims = valid.claims();
        double from = Math.max(number(claims, "nbf", Double.NEGATIVE_INFINITY), number(claims, "iat", Double.NEGATIVE_INFINITY));
        double until = number(claims, "exp", Double.POSITIVE_INFINITY);
        entries.put(key, new Entry(valid, keys, from - skewSeconds, until + skewSeconds));
    }

    int size() {
        return entries.size();
    }

    private static double number(JsonObject claims, String name, double absent) {
        JsonElement value = claims.get(name);
        return value instanceof JsonPrimitive p && p.isNumber() ? p.getAsDouble() : absent;
    }
}

package io.authgateway.config;

import java.util.EnumMap;
import java.util.Map;

/**
 * One tenant's limits (or the defaults): a value for each {@link LimitKey}, 0 meaning unlimited.
 * Immutable; {@link #with} makes the copy an override entry describes.
 */
public record TenantLimits(double writeRequestsPerSecond, long writeBurst, long writeBytesPerSecond,
                           double readRequestsPerSecond, long readBurst, long maxInflightRequests) {

    public static final TenantLimits UNLIMITED = new TenantLimits(0, 0, 0, 0, 0, 0);

    public double get(LimitKey key) {
        return switch (key) {
            case WRITE_REQUESTS_PER_SECOND -> writeRequestsPerSecond;
            case WRITE_BURST -> writeBurst;
            case WRITE_BYTES_PER_SECOND -> writeBytesPerSecond;
            case READ_REQUESTS_PER_SECOND -> readRequestsPerSecond;
            case READ_BURST -> readBurst;
            case MAX_INFLIGHT_REQUESTS -> maxInflightRequests;
        };
    }

    /** These limits with the given keys replaced: an override names only what it changes. */
    public TenantLimits with(Map<LimitKey, Double> changes) {
        Map<LimitKey, Double> all = new EnumMap<>(LimitKey.class);
        for (LimitKey key : LimitKey.values()) {
            all.put(key, changes.getOrDefault(key, get(key)));
        }
        return new TenantLimits(all.get(LimitKey.WRITE_REQUESTS_PER_SECOND), all.get(LimitKey.WRITE_BURST).longValue(),
                all.get(LimitKey.WRITE_BYTES_PER_SECOND).longValue(), all.get(LimitKey.READ_REQUESTS_PER_SECOND),
                all.get(LimitKey.READ_BURST).longValue(), all.get(LimitKey.MAX_INFLIGHT_REQUESTS).longValue());
    }
}

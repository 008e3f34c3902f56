package io.authgateway.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one log line per key per interval: a tenant in a retry storm is refused thousands of
 * times a second and a store that is down fails on every request, and the log must not become the
 * next bottleneck. The metric counts every event; the line says how many were not logged since
 * the last one.
 */
public final class LogThrottle {

    private final long everyNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> byKey = new ConcurrentHashMap<>();

    LogThrottle(Duration every, LongSupplier nanoClock) {
        this.everyNanos = every.toNanos();
        this.nanoClock = nanoClock;
    }

    /** @return -1 when this event is not to be logged, else the events of this key left unlogged before it */
    public long admit(String key) {
        long now = nanoClock.getAsLong();
        long[] result = {-1};
        byKey.compute(key, (k, state) -> {
            if (state == null) {
                result[0] = 0;
                return new long[]{now + everyNanos, 0};
            }
            if (now - state[0] >= 0) {
                result[0] = state[1];
                state[0] = now + everyNanos;
                state[1] = 0;
            } else {
                state[1]++;
            }
            return state;
        });
        return result[0];
    }

    /** Forgets keys not seen for a while. */
    void sweep() {
        long now = nanoClock.getAsLong();
        byKey.values().removeIf(state -> now - state[0] >= 0 && state[1] == 0);
    }
}

package io.authgateway.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one refusal log line per tenant per {@link #EVERY}: a tenant in a retry storm is
 * refused thousands of times a second, and the log must not become the next bottleneck. The
 * metric counts every refusal; the line says how many were not logged since the last one.
 */
public final class RefusalLogThrottle {

    static final Duration EVERY = Duration.ofSeconds(10);

    private final LongSupplier nanoClock;
    private final Map<String, long[]> byTenant = new ConcurrentHashMap<>();

    RefusalLogThrottle(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** @return -1 when this refusal is not to be logged, else the refusals left unlogged before it */
    public long admit(String tenant) {
        long now = nanoClock.getAsLong();
        long[] result = {-1};
        byTenant.compute(tenant, (t, state) -> {
            if (state == null) {
                result[0] = 0;
                return new long[]{now + EVERY.toNanos(), 0};
            }
            if (now - state[0] >= 0) {
                result[0] = state[1];
                state[0] = now + EVERY.toNanos();
                state[1] = 0;
            } else {
                state[1]++;
            }
            return state;
        });
        return result[0];
    }

    /** Forgets tenants not refused for a while. */
    void sweep() {
        long now = nanoClock.getAsLong();
        byTenant.values().removeIf(state -> now - state[0] >= 0 && state[1] == 0);
    }
}

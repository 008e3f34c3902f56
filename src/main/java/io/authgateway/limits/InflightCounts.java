package io.authgateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight on this replica, by tenant and class, against each tenant's maximum; and the
 * totals by class for {@code cortex_gateway_inflight_requests{class}}. An entry goes away when its
 * count is back to zero, so memory follows the tenants with requests in flight.
 */
final class InflightCounts {

    private final Map<String, Integer> byTenant = new ConcurrentHashMap<>();
    private final AtomicInteger[] byClass = {new AtomicInteger(), new AtomicInteger()};

    /** Counts a request in, unless the tenant has {@code max} in flight already ({@code max} 0: no limit). */
    boolean acquire(String tenant, LimitClass limitClass, long max) {
        boolean[] acquired = {false};
        byTenant.compute(key(tenant, limitClass), (key, count) -> {
            int now = count == null ? 0 : count;
            if (max > 0 && now >= max) {
                return count;
            }
            acquired[0] = true;
            return now + 1;
        });
        if (acquired[0]) {
            byClass[limitClass.ordinal()].incrementAndGet();
        }
        return acquired[0];
    }

    void release(String tenant, LimitClass limitClass) {
        byTenant.computeIfPresent(key(tenant, limitClass), (key, count) -> count <= 1 ? null : count - 1);
        byClass[limitClass.ordinal()].decrementAndGet();
    }

    int inflight(LimitClass limitClass) {
        return byClass[limitClass.ordinal()].get();
    }

    int inflight(String tenant, LimitClass limitClass) {
        return byTenant.getOrDefault(key(tenant, limitClass), 0);
    }

    private static String key(String tenant, LimitClass limitClass) {
        return limitClass.label() + ":" + tenant;
    }
}

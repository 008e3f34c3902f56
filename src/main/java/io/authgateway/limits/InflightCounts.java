package io.authgateway.limits;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight on this replica, by tenant and class, against each tenant's maximum; and the
 * totals by class for {@code cortex_gateway_inflight_requests{class}}. An entry goes away when its
 * count is back to zero, so memory follows the tenants with requests in flight.
 */
final class InflightCounts {

    /** By class, then tenant: only tenants with a maximum are counted one by one. */
    private final List<Map<String, Integer>> byTenant = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    private final AtomicInteger[] byClass = {new AtomicInteger(), new AtomicInteger()};

    /**
     * Counts a request in, unless the tenant has {@code max} in flight already. With {@code max} 0
     * (no limit, the default) only the class total moves: no per-tenant entry, no lock, nothing
     * built per request. A maximum set by a reload counts the requests admitted after it; those
     * admitted before it, ending meanwhile, can make the count run low for as long as they last.
     */
    boolean acquire(String tenant, LimitClass limitClass, long max) {
        if (max > 0) {
            boolean[] acquired = {false};
            byTenant.get(limitClass.ordinal()).compute(tenant, (key, count) -> {
                int now = count == null ? 0 : count;
                if (now >= max) {
                    return count;
                }
                acquired[0] = true;
                return now + 1;
            });
            if (!acquired[0]) {
                return false;
            }
        }
        byClass[limitClass.ordinal()].incrementAndGet();
        return true;
    }

    void release(String tenant, LimitClass limitClass) {
        byTenant.get(limitClass.ordinal()).computeIfPresent(tenant, (key, count) -> count <= 1 ? null : count - 1);
        byClass[limitClass.ordinal()].decrementAndGet();
    }

    int inflight(LimitClass limitClass) {
        return byClass[limitClass.ordinal()].get();
    }

    int inflight(String tenant, LimitClass limitClass) {
        return byTenant.get(limitClass.ordinal()).getOrDefault(tenant, 0);
    }
}

package io.authgateway.limits;

import io.authgateway.config.TenantLimits;
import io.authgateway.observability.Log;
import io.authgateway.routing.RouteClass;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides, between authentication and forwarding, whether a request may go on: its tenants'
 * in-flight counts first (this replica's, cheap and given back at once), then one decision of the
 * rate store over every bucket it takes from (requests, and body bytes for writes). A request acts
 * on a list of tenants, so a federated read ({@code a|b}) is charged to each; it passes only if
 * it fits every one. Unlimited keys take nothing, so with the defaults (all unlimited) no store
 * is asked at all.
 */
public final class TenantLimiter {

    private final Supplier<LimitTable> table;
    private final RateStore store;
    private final InflightCounts inflight;
    private final RetryAfter retryAfter;
    private final Log log;

    TenantLimiter(Supplier<LimitTable> table, RateStore store, InflightCounts inflight, RetryAfter retryAfter, Log log) {
        this.table = table;
        this.store = store;
        this.inflight = inflight;
        this.retryAfter = retryAfter;
        this.log = log;
    }

    /**
     * @param tenants       the tenants the request acts on, at least one
     * @param bodyBytes     the declared body length ({@code Content-Length}), 0 without a body, -1 when chunked
     */
    public Admission admit(List<String> tenants, RouteClass routeClass, long bodyBytes) {
        LimitClass limitClass = LimitClass.of(routeClass);
        LimitTable limits = table.get();
        for (int i = 0; i < tenants.size(); i++) {
            String tenant = tenants.get(i);
            if (!inflight.acquire(tenant, limitClass, limits.forTenant(tenant).maxInflightRequests())) {
                releaseInflight(tenants.subList(0, i), limitClass);
                return new Admission.Refused(tenant, limitClass, Limit.INFLIGHT, retryAfter.after(0));
            }
        }
        List<Take> takes = takes(tenants, limitClass, limits, Math.max(0, bodyBytes));
        if (!takes.isEmpty()) {
            RateDecision decision;
            try {
                decision = store.take(takes);
            } catch (RateStore.StoreException e) {
                releaseInflight(tenants, limitClass);
                return new Admission.Unavailable(e.getMessage());
            }
            if (decision instanceof RateDecision.Refused refused) {
                releaseInflight(tenants, limitClass);
                Take take = refused.refused();
                return new Admission.Refused(take.tenant(), limitClass, take.limit(), retryAfter.after(refused.waitNanos()));
            }
        }
        boolean chargesBody = bodyBytes < 0 && limitClass == LimitClass.WRITE
                && tenants.stream().anyMatch(t -> limits.forTenant(t).writeBytesPerSecond() > 0);
        return new Admission.Admitted(new Permit(this, List.copyOf(tenants), limitClass, chargesBody));
    }

    /**
     * The buckets a request takes from. A write takes its declared bytes from the byte bucket; a
     * chunked one takes 0 there, which still waits while the tenant owes more than its burst.
     */
    private static List<Take> takes(List<String> tenants, LimitClass limitClass, LimitTable limits, long bodyBytes) {
        List<Take> takes = new ArrayList<>(2);
        for (String tenant : tenants) {
            TenantLimits tenantLimits = limits.forTenant(tenant);
            double requests = limitClass == LimitClass.WRITE ? tenantLimits.writeRequestsPerSecond() : tenantLimits.readRequestsPerSecond();
            long burst = limitClass == LimitClass.WRITE ? tenantLimits.writeBurst() : tenantLimits.readBurst();
            if (requests > 0) {
                Rate rate = Rate.of(requests, burst);
                takes.add(new Take(Take.key(tenant, limitClass, Limit.REQUESTS, rate), rate, 1, Limit.REQUESTS, tenant));
            }
            if (limitClass == LimitClass.WRITE && tenantLimits.writeBytesPerSecond() > 0) {
                takes.add(bytes(tenant, tenantLimits, bodyBytes));
            }
        }
        return takes;
    }

    private static Take bytes(String tenant, TenantLimits limits, long bytes) {
        Rate rate = Rate.of(limits.writeBytesPerSecond(), 0);
        return new Take(Take.key(tenant, LimitClass.WRITE, Limit.BYTES, rate), rate, bytes, Limit.BYTES, tenant);
    }

    void release(List<String> tenants, LimitClass limitClass) {
        releaseInflight(tenants, limitClass);
    }

    /** Charges body bytes already read to each tenant with a byte limit, as debt if need be. */
    void chargeStreamed(List<String> tenants, long bytes) {
        LimitTable limits = table.get();
        for (String tenant : tenants) {
            TenantLimits tenantLimits = limits.forTenant(tenant);
            if (tenantLimits.writeBytesPerSecond() > 0) {
                try {
                    store.charge(bytes(tenant, tenantLimits, bytes));
                } catch (RateStore.StoreException e) {
                    log.warn("streamed body bytes not charged, limits store failed", "org_id", tenant,
                            "bytes", bytes, "err", e.getMessage());
                }
            }
        }
    }

    private void releaseInflight(List<String> tenants, LimitClass limitClass) {
        for (String tenant : tenants) {
            inflight.release(tenant, limitClass);
        }
    }
}

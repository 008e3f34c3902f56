package io.authgateway.limits;

import java.util.List;

/**
 * A request the limiter let through, until it is done: then its in-flight counts go back and a
 * body whose size was not known up front (chunked) is charged to the tenants' byte buckets, as
 * debt their next pushes wait for. {@link #release} exactly once.
 */
public final class Permit {

    private final TenantLimiter limiter;
    private final List<String> tenants;
    private final LimitClass limitClass;
    private final boolean chargeBodyAfter;

    Permit(TenantLimiter limiter, List<String> tenants, LimitClass limitClass, boolean chargeBodyAfter) {
        this.limiter = limiter;
        this.tenants = tenants;
        this.limitClass = limitClass;
        this.chargeBodyAfter = chargeBodyAfter;
    }

    /** @param bodyBytes request body bytes the gateway read (decoded) */
    public void release(long bodyBytes) {
        limiter.release(tenants, limitClass, chargeBodyAfter ? bodyBytes : 0);
    }
}

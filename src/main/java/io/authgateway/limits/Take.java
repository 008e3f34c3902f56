package io.authgateway.limits;

/**
 * One bucket a decision takes from.
 *
 * @param key  the bucket's name, the same on every replica ({@code tenant:class:limit:rate:burst})
 * @param rate the tenant's rate for it
 * @param cost units taken: 1 request, or a body's bytes
 */
record Take(String key, Rate rate, long cost, Limit limit, String tenant) {

    /**
     * The rate is part of the name: a bucket's arrival time only means something at the rate it was
     * counted with, so a changed limit (an overrides reload) starts from a rested bucket instead of
     * holding a tenant to debt counted at its old, lower rate. The old bucket expires by itself.
     */
    static String key(String tenant, LimitClass limitClass, Limit limit, Rate rate) {
        return tenant + ":" + limitClass.label() + ":" + limit.label() + ":" + rate.perSecond() + ":" + rate.burst();
    }
}

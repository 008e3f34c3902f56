package io.authgateway.limits;

/**
 * One bucket a decision takes from.
 *
 * @param key  the bucket's name, the same on every replica ({@code tenant:class:limit})
 * @param rate the tenant's rate for it
 * @param cost units taken: 1 request, or a body's bytes
 */
record Take(String key, Rate rate, long cost, Limit limit, String tenant) {

    static String key(String tenant, LimitClass limitClass, Limit limit) {
        return tenant + ":" + limitClass.label() + ":" + limit.label();
    }
}

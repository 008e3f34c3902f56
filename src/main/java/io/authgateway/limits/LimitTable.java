package io.authgateway.limits;

import io.authgateway.config.TenantLimits;

import java.util.Map;

/**
 * The limits in force: the defaults and the overrides file's entries (each already merged over
 * the defaults). Immutable; a reload swaps the whole table.
 */
record LimitTable(TenantLimits defaults, Map<String, TenantLimits> overrides) {

    LimitTable {
        overrides = Map.copyOf(overrides);
    }

    TenantLimits forTenant(String tenant) {
        return overrides.getOrDefault(tenant, defaults);
    }
}

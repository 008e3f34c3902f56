package io.authgateway.config;

/**
 * Metric options.
 *
 * @param tenantLabel whether {@code cortex_gateway_succeeded_authentications_total} carries a
 *                    {@code tenant} label (the fork's behaviour; unbounded with many tenants)
 */
public record MetricsSettings(boolean tenantLabel) {
}

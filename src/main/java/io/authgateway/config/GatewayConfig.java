package io.authgateway.config;

import io.authgateway.routing.Mode;

/** Everything the gateway needs to run, validated once at start-up and never changed. */
public record GatewayConfig(Mode mode, ServerSettings server, UpstreamSettings upstreams, AuthSettings auth,
                            LogSettings log, MetricsSettings metrics, AuditSettings audit, LimitSettings limits) {
}

package io.authgateway.routing;

/**
 * Where a matched request goes: one of the upstream components (always authenticated) or one of
 * the gateway's own endpoints (never authenticated).
 */
public sealed interface Destination {

    /** Proxied to an upstream component after authentication. */
    record Proxy(Upstream upstream) implements Destination {
    }

    /** Answered by the gateway itself, without a token. */
    enum Local implements Destination {
        HEALTH, READY, METRICS, NOT_FOUND
    }
}

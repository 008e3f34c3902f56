package io.authgateway.routing;

/**
 * Where a matched request goes: one of the upstream components (always authenticated) or one of
 * the gateway's own endpoints (never authenticated).
 */
public sealed interface Destination {

    /**
     * Proxied to an upstream component after authentication and authorization.
     *
     * @param kind   what kind of route it is, which with the method gives the request's {@link RouteClass}
     */
    record Proxy(Upstream upstream, RouteKind kind) implements Destination {
        public Proxy {
            java.util.Objects.requireNonNull(upstream, "upstream");
            java.util.Objects.requireNonNull(kind, "kind");
        }
    }

    /** Answered by the gateway itself, without a token. */
    enum Local implements Destination {
        HEALTH, READY, METRICS, NOT_FOUND
    }
}

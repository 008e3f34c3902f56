package io.authgateway.routing;

/** How a route's path is compared with a request path (gorilla/mux {@code Path} / {@code PathPrefix}). */
public enum Match {
    /** The whole path must be equal. */
    EXACT,
    /** Plain string prefix: {@code /api} also matches {@code /apifoo}, as in the Go gateways. */
    PREFIX;

    boolean matches(String pattern, String path) {
        return this == EXACT ? path.equals(pattern) : path.startsWith(pattern);
    }
}

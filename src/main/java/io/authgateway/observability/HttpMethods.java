package io.authgateway.observability;

import java.util.Set;

/** Method label values: the standard methods as sent, anything else {@code other}, so labels stay bounded. */
public final class HttpMethods {

    private static final Set<String> KNOWN = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "CONNECT", "TRACE");

    private HttpMethods() {
    }

    public static String label(String method) {
        return KNOWN.contains(method) ? method : "other";
    }
}

package io.authgateway.auth;

import com.sun.net.httpserver.Headers;

import java.util.Set;

/** Decides which tenant a request belongs to, or why it has none. Implementations are thread-safe. */
public interface TenantResolver {

    AuthResult resolve(Headers requestHeaders);

    /**
     * Request headers that must not reach the upstream whatever the outcome (the headers a token
     * may come in): what a request forwarded in observe-only mode withholds although it was refused.
     */
    default Set<String> withheldHeaders() {
        return Set.of();
    }
}

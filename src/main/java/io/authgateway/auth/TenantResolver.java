package io.authgateway.auth;

import com.sun.net.httpserver.Headers;

/** Decides which tenant a request belongs to, or why it has none. Implementations are thread-safe. */
public interface TenantResolver {

    AuthResult resolve(Headers requestHeaders);
}

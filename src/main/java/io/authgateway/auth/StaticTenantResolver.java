package io.authgateway.auth;

import com.sun.net.httpserver.Headers;

import java.util.Optional;
import java.util.Set;

/** {@code -gateway.auth.tenant-name}: every request belongs to one fixed tenant, no token needed. */
public final class StaticTenantResolver implements TenantResolver {

    private final AuthResult.Authenticated result;

    public StaticTenantResolver(String tenant) {
        this.result = new AuthResult.Authenticated(Grant.single(tenant), Optional.empty(), Set.of(), TokenIdentity.NONE);
    }

    @Override
    public AuthResult resolve(Headers requestHeaders) {
        return result;
    }
}

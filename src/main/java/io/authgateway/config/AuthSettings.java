package io.authgateway.config;

import java.util.List;
import java.util.Optional;

/**
 * How requests are authenticated.
 *
 * @param jwtSecret     HMAC secret for HS256/384/512 tokens, empty when unset
 * @param extraHeaders  headers tried, in order, for a raw token before {@code Authorization}
 * @param tenantName    static tenant; when non-empty no token is needed
 * @param tenantIdClaim the claim holding the tenant ID (default {@code tenant_id})
 */
public record AuthSettings(String jwtSecret, List<String> extraHeaders, String tenantName, String tenantIdClaim) {

    public AuthSettings {
        extraHeaders = List.copyOf(extraHeaders);
    }

    public Optional<String> staticTenant() {
        return tenantName.isEmpty() ? Optional.empty() : Optional.of(tenantName);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AuthSettings[jwtSecret=" + (jwtSecret.isEmpty() ? "unset" : "<redacted>")
                + ", extraHeaders=" + extraHeaders + ", tenantName=" + tenantName
                + ", tenantIdClaim=" + tenantIdClaim + "]";
    }
}

package io.authgateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How requests are authenticated.
 *
 * @param jwtSecrets    HMAC secrets given directly ({@code -gateway.auth.jwt-secret} or
 *                      {@code GATEWAY_AUTH_JWT_SECRET}), possibly none
 * @param jwtSecretFile file with more HMAC secrets, re-read while running
 * @param jwks          where public keys for asymmetric tokens come from, if anywhere
 * @param claims        what a token's claims must satisfy
 * @param extraHeaders  headers tried, in order, for a raw token before {@code Authorization}
 * @param tenantName    static tenant; when non-empty no token is needed
 * @param tenantIdClaim the claim holding the tenant ID (default {@code tenant_id})
 * @param forwardToken  send the token header upstream too (default false; Go always did)
 * @param revokedTokensFile file of revoked token ids and token digests, re-read while running
 * @param observeOnly   forward what authentication or authorization would refuse (enforces nothing)
 * @param access        tenant lists, scopes and Basic credentials
 */
public record AuthSettings(List<String> jwtSecrets, Optional<Path> jwtSecretFile, Optional<JwksSettings> jwks,
                           ClaimRules claims, List<String> extraHeaders, String tenantName, String tenantIdClaim,
                           boolean forwardToken, Optional<Path> revokedTokensFile, boolean observeOnly,
                           AccessSettings access) {

    public AuthSettings {
        jwtSecrets = List.copyOf(jwtSecrets);
        extraHeaders = List.copyOf(extraHeaders);
    }

    public Optional<String> staticTenant() {
        return tenantName.isEmpty() ? Optional.empty() : Optional.of(tenantName);
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "AuthSettings[jwtSecrets=" + (jwtSecrets.isEmpty() ? "unset" : jwtSecrets.size() + " <redacted>")
                + ", jwtSecretFile=" + jwtSecretFile + ", jwks=" + jwks + ", claims=" + claims
                + ", extraHeaders=" + extraHeaders + ", tenantName=" + tenantName
                + ", tenantIdClaim=" + tenantIdClaim + ", forwardToken=" + forwardToken
                + ", revokedTokensFile=" + revokedTokensFile + ", observeOnly=" + observeOnly + ", access=" + access + "]";
    }
}

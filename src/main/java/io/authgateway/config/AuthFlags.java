package io.authgateway.config;

import java.util.ArrayList;
import java.util.List;

import static io.authgateway.config.FlagKind.BOOL;
import static io.authgateway.config.FlagKind.DURATION;
import static io.authgateway.config.FlagKind.INT;
import static io.authgateway.config.FlagKind.STRING;

/**
 * The authentication flags, shared by both gateway binaries and by their {@code token} command so
 * that a token is minted and checked with exactly the rules the gateway applies. Names, defaults
 * and the integer units of the JWKS flags are those of the Go fork (reference §1.1).
 */
public final class AuthFlags {

    public static final String SECRET = "gateway.auth.jwt-secret";
    public static final String SECRET_FILE = "gateway.auth.jwt-secret-file";
    public static final String SECRET_ENV = "GATEWAY_AUTH_JWT_SECRET";
    public static final String EXTRA_HEADERS = "gateway.auth.jwt-extra-headers";
    public static final String TENANT_NAME = "gateway.auth.tenant-name";
    public static final String TENANT_CLAIM = "gateway.auth.tenant-id-claim";
    public static final String JWKS_URL = "gateway.auth.jwks-url";
    public static final String JWKS_REFRESH_ENABLED = "gateway.auth.jwks-refresh-enabled";
    public static final String JWKS_REFRESH_INTERVAL = "gateway.auth.jwks-refresh-interval";
    public static final String JWKS_REFRESH_TIMEOUT = "gateway.auth.jwks-refresh-timeout";
    public static final String AUDIENCE = "gateway.auth.audience";
    public static final String ISSUER = "gateway.auth.issuer";
    public static final String REQUIRE_EXPIRATION = "gateway.auth.require-expiration";
    public static final String CLOCK_SKEW = "gateway.auth.clock-skew";
    public static final String MIN_TOKEN_VERSION = "gateway.auth.min-token-version";
    public static final String FORWARD_TOKEN = "gateway.auth.forward-token";
    public static final String TENANT_FEDERATION = "gateway.auth.tenant-federation";
    public static final String REQUIRE_SCOPES = "gateway.auth.require-scopes";
    public static final String BASIC_ENABLED = "gateway.auth.basic-enabled";
    public static final String REVOKED_TOKENS_FILE = "gateway.auth.revoked-tokens-file";
    public static final String OBSERVE_ONLY = "gateway.auth.observe-only";

    private AuthFlags() {
    }

    /** Flags that choose the keys and claim rules: what the token command needs too. */
    public static List<FlagSpec> keysAndClaims() {
        return List.of(
                FlagSpec.of(SECRET, STRING, "", "HMAC secret that verifies HS256/HS384/HS512 tokens; visible in ps, prefer "
                        + "-" + SECRET_FILE + " or the " + SECRET_ENV + " environment variable"),
                FlagSpec.of(SECRET_FILE, STRING, "", "File with one HMAC secret per line (blank lines and # comments "
                        + "ignored); every secret verifies tokens; re-read within 10s when it changes"),
                FlagSpec.of(TENANT_CLAIM, STRING, "tenant_id", "JWT claim that holds the tenant ID"),
                FlagSpec.of(AUDIENCE, STRING, "", "Comma-separated audiences; when set, the aud claim must contain one"),
                FlagSpec.of(ISSUER, STRING, "", "Comma-separated issuers; when set, the iss claim must be one of them"),
                FlagSpec.of(REQUIRE_EXPIRATION, BOOL, "false", "Reject tokens without an exp claim"),
                FlagSpec.of(CLOCK_SKEW, DURATION, "0s", "Leeway for exp, nbf and iat"),
                FlagSpec.of(MIN_TOKEN_VERSION, INT, "0", "Reject tokens whose version claim is lower (or missing when "
                        + "this is above 0); raise it to revoke every older token"),
                FlagSpec.of(TENANT_FEDERATION, BOOL, "true", "Accept tokens whose tenant claim lists several tenants "
                        + "(reads get X-Scope-OrgID: a|b, writes must choose one); false refuses them as Invalid Tenant ID"),
                FlagSpec.of(REQUIRE_SCOPES, BOOL, "false", "Refuse (403) tokens that name no scope (metrics:read, "
                        + "logs:write, ...); by default such tokens may do everything, as before scopes existed"));
    }

    /** Every authentication flag of the gateway binaries, in {@code -help} order. */
    public static List<FlagSpec> gateway() {
        List<FlagSpec> shared = keysAndClaims();
        List<FlagSpec> all = new ArrayList<>(shared.subList(0, 2));
        all.add(FlagSpec.of(EXTRA_HEADERS, STRING, "", "Comma-separated request headers tried for a raw token before Authorization"));
        all.add(FlagSpec.of(TENANT_NAME, STRING, "", "Static tenant: when set, no token is needed and every request gets this X-Scope-OrgID"));
        all.add(shared.get(2));
        all.add(FlagSpec.of(JWKS_URL, STRING, "", "URL of a JWKS with the public keys for RS/PS/ES/EdDSA tokens (http or https)"));
        all.add(FlagSpec.of(JWKS_REFRESH_ENABLED, BOOL, "false", "Re-fetch the JWKS periodically in the background"));
        all.add(FlagSpec.of(JWKS_REFRESH_INTERVAL, STRING, "60", "JWKS refresh interval: minutes (integer, as in Go) or a duration such as 90s"));
        all.add(FlagSpec.of(JWKS_REFRESH_TIMEOUT, STRING, "30", "JWKS fetch timeout: seconds (integer, as in Go) or a duration such as 1500ms"));
        all.addAll(shared.subList(3, shared.size()));
        all.add(FlagSpec.of(FORWARD_TOKEN, BOOL, "false", "Also send the token header upstream (the Go gateways always did)"));
        all.add(FlagSpec.of(BASIC_ENABLED, BOOL, "false", "Accept Authorization: Basic base64(user:token): the password "
                + "is verified as a token, the username chooses its tenant (a, or a|b for reads)"));
        all.add(FlagSpec.of(REVOKED_TOKENS_FILE, STRING, "", "File of revoked tokens, one per line: a jti, or sha256:<hex> of the "
                + "whole token (blank lines and # comments ignored); such a token gets 401; re-read within 10s when it changes"));
        all.add(FlagSpec.of(OBSERVE_ONLY, BOOL, "false", "ENFORCES NOTHING: a request that authentication or authorization "
                + "would refuse is forwarded anyway, logged, audited (decision=observed) and counted in "
                + "cortex_gateway_observed_rejections_total; for migrating from a pass-through proxy only"));
        return List.copyOf(all);
    }
}

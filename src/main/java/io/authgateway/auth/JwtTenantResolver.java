package io.authgateway.auth;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;

import java.util.Optional;
import java.util.Set;

/**
 * JWT mode of the Go fork (reference §3.2) with its bugs fixed: the tenant comes from a claim of a
 * verified token; a claim that is missing, of the wrong type, empty or not a valid Mimir/Loki
 * tenant ID is {@code Invalid Tenant ID} (the fork panicked on non-strings and dropped the
 * connection). The claim may also list tenants ({@link TenantClaim}); the scopes come along
 * ({@link Scopes}). The headers a token may come in are withheld from the upstream unless
 * forwarding was asked for.
 */
public final class JwtTenantResolver implements TenantResolver {

    private final TokenExtractor extractor;
    private final TokenVerifier verifier;
    private final TenantClaim tenantClaim;
    private final boolean forwardToken;
    /** Every header a token may come in: none of them goes upstream, so a second credential cannot leak. */
    private final Set<String> tokenHeaders;

    /** @param forwardToken whether the token header goes upstream too (Go did; default is no) */
    public JwtTenantResolver(TokenExtractor extractor, TokenVerifier verifier, TenantClaim tenantClaim, boolean forwardToken) {
        this.extractor = extractor;
        this.verifier = verifier;
        this.tenantClaim = tenantClaim;
        this.forwardToken = forwardToken;
        this.tokenHeaders = extractor.lowerCaseHeaders();
    }

    @Override
    public AuthResult resolve(Headers requestHeaders) {
        return switch (extractor.extract(requestHeaders)) {
            case Credentials.Missing missing ->
                    new AuthResult.Rejected(RejectReason.NO_TOKEN, "no token in " + extractor.headers());
            case Credentials.Malformed malformed ->
                    new AuthResult.Rejected(RejectReason.TOKEN_NOT_VALID, malformed.detail());
            case Credentials.Token token -> verify(token);
        };
    }

    private AuthResult verify(Credentials.Token token) {
        return switch (verifier.verify(token.token())) {
            case Verification.Invalid invalid -> new AuthResult.Rejected(RejectReason.TOKEN_NOT_VALID,
                    invalid.detail() + " (header " + token.header() + ")");
            case Verification.Unavailable unavailable -> new AuthResult.Rejected(RejectReason.KEYS_UNAVAILABLE,
                    unavailable.detail());
            case Verification.Revoked revoked -> new AuthResult.Rejected(RejectReason.TOKEN_REVOKED, revoked.detail(),
                    revoked.identity(), singleTenant(revoked.claims()));
            case Verification.Valid valid -> grantOf(valid.claims(), token.chosenTenants(), valid.identity());
        };
    }

    /** The one valid tenant a verified payload names, or null (none, or a list: no single verified tenant). */
    private String singleTenant(JsonObject claims) {
        return tenantClaim.parse(claims.get(tenantClaim.name())) instanceof TenantClaim.Parsed.Tenants tenants
                && tenants.tenants().size() == 1 ? tenants.tenants().getFirst() : null;
    }

    @Override
    public Set<String> withheldHeaders() {
        return forwardToken ? Set.of() : tokenHeaders;
    }

    private AuthResult grantOf(JsonObject claims, Optional<String> chosenTenants, TokenIdentity identity) {
        return switch (tenantClaim.parse(claims.get(tenantClaim.name()))) {
            case TenantClaim.Parsed.Invalid invalid -> new AuthResult.Rejected(RejectReason.TENANT_ID_NOT_VALID, invalid.detail());
            case TenantClaim.Parsed.Tenants tenants -> new AuthResult.Authenticated(
                    new Grant(tenants.tenants(), Scopes.fromClaims(claims)), chosenTenants, withheldHeaders(), identity);
        };
    }
}

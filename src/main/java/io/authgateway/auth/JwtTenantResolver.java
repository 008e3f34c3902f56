package io.authgateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.Headers;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * JWT mode of the Go fork (reference §3.2) with its bugs fixed: the tenant comes from a claim of a
 * verified token; a claim that is missing, not a string, empty or not a valid Mimir/Loki tenant ID
 * is {@code Invalid Tenant ID} (the fork panicked on non-strings and dropped the connection). The
 * headers a token may come in are withheld from the upstream unless forwarding was asked for.
 */
public final class JwtTenantResolver implements TenantResolver {

    private final TokenExtractor extractor;
    private final TokenVerifier verifier;
    private final String tenantClaim;
    private final boolean forwardToken;
    /** Every header a token may come in: none of them goes upstream, so a second credential cannot leak. */
    private final Set<String> tokenHeaders;

    /** @param forwardToken whether the token header goes upstream too (Go did; default is no) */
    public JwtTenantResolver(TokenExtractor extractor, TokenVerifier verifier, String tenantClaim, boolean forwardToken) {
        this.extractor = extractor;
        this.verifier = verifier;
        this.tenantClaim = tenantClaim;
        this.forwardToken = forwardToken;
        this.tokenHeaders = extractor.headers().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public AuthResult resolve(Headers requestHeaders) {
        Optional<ExtractedToken> extracted = extractor.extract(requestHeaders);
        if (extracted.isEmpty()) {
            return new AuthResult.Rejected(RejectReason.NO_TOKEN, "no token in " + extractor.headers());
        }
        ExtractedToken token = extracted.get();
        return switch (verifier.verify(token.token())) {
            case Verification.Invalid invalid -> new AuthResult.Rejected(RejectReason.TOKEN_NOT_VALID,
                    invalid.detail() + " (header " + token.header() + ")");
            case Verification.Unavailable unavailable -> new AuthResult.Rejected(RejectReason.KEYS_UNAVAILABLE,
                    unavailable.detail());
            case Verification.Revoked revoked -> new AuthResult.Rejected(RejectReason.TOKEN_REVOKED, revoked.detail(),
                    revoked.identity());
            case Verification.Valid valid -> tenantFrom(valid.claims().get(tenantClaim), valid.identity());
        };
    }

    @Override
    public Set<String> withheldHeaders() {
        return forwardToken ? Set.of() : tokenHeaders;
    }

    private AuthResult tenantFrom(JsonElement claim, TokenIdentity identity) {
        if (claim == null) {
            return new AuthResult.Rejected(RejectReason.TENANT_ID_NOT_VALID, "claim " + tenantClaim + " not found");
        }
        if (!(claim instanceof JsonPrimitive primitive) || !primitive.isString()) {
            return new AuthResult.Rejected(RejectReason.TENANT_ID_NOT_VALID,
                    "claim " + tenantClaim + " is not a string but " + kindOf(claim));
        }
        String tenant = primitive.getAsString();
        String problem = TenantIds.problem(tenant);
        if (problem != null) {
            return new AuthResult.Rejected(RejectReason.TENANT_ID_NOT_VALID, problem);
        }
        return new AuthResult.Authenticated(tenant, withheldHeaders(), identity);
    }

    private static String kindOf(JsonElement claim) {
        if (claim.isJsonNull()) {
            return "null";
        }
        if (claim.isJsonArray()) {
            return "an array";
        }
        if (claim.isJsonObject()) {
            return "an object";
        }
        return claim.getAsJsonPrimitive().isBoolean() ? "a boolean" : "a number";
    }
}

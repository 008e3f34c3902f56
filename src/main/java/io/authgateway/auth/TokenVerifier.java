package io.authgateway.auth;

import com.google.gson.JsonObject;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

/**
 * Decides whether a compact token is acceptable, with strict algorithm discipline: an HS token is
 * checked only against the HMAC secrets, an RS/PS/ES/EdDSA token only against the JWKS key its
 * {@code kid} names and only if that key's type fits the algorithm; {@code none} and every other
 * algorithm are refused; keys are never taken from the token itself. The claims of a token with a
 * good signature then go through the {@link ClaimValidator}. A good token that the revocation list
 * names is {@link Verification.Revoked}, checked on every call, cached or not, so a revocation
 * takes effect with the next reload of the list.
 */
public final class TokenVerifier {

    /** Verified HMAC tokens kept at most; a deployment sends few distinct tokens. */
    static final int CACHE_ENTRIES = 10_000;

    private final HmacKeySource hmacKeys;
    private final Optional<JwksKeySet> jwks;
    private final ClaimValidator claims;
    private final Clock clock;
    private final JwtParser asymmetricParser;
    private final VerifiedTokenCache cache;
    private final RevocationSource revocations;

    public TokenVerifier(HmacKeySource hmacKeys, Optional<JwksKeySet> jwks, ClaimValidator claims, long clockSkewSeconds,
                         Clock clock) {
        this(hmacKeys, jwks, claims, clockSkewSeconds, clock, RevocationSource.NONE);
    }

    public TokenVerifier(HmacKeySource hmacKeys, Optional<JwksKeySet> jwks, ClaimValidator claims, long clockSkewSeconds,
                         Clock clock, RevocationSource revocations) {
        this.hmacKeys = hmacKeys;
        this.revocations = revocations;
        this.jwks = jwks;
        this.claims = claims;
        this.clock = clock;
        this.cache = new VerifiedTokenCache(CACHE_ENTRIES, Duration.ofSeconds(clockSkewSeconds));
        // jjwt is only needed for JWKS tokens; without a JWKS none of its classes load (start-up, image size).
        this.asymmetricParser = jwks.isEmpty() ? null : asymmetricParser(jwks, clock, clockSkewSeconds);
    }

    private static JwtParser asymmetricParser(Optional<JwksKeySet> jwks, Clock clock, long clockSkewSeconds) {
        return Jwts.parser()
                .keyLocator(new LocatorAdapter<>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                        return jwks.map(set -> set.lookup(String.valueOf(header.getKeyId())))
                                .filter(JwksKeySet.Lookup.Found.class::isInstance)
                                .map(found -> (Key) ((JwksKeySet.Lookup.Found) found).key().key())
                                .orElseThrow(() -> new SignatureException("JWKS key disappeared during verification"));
                    }
                })
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(clockSkewSeconds)
                .build();
    }

    public Verification verify(String token) {
        TokenDigest digest = TokenDigest.of(token);
        HmacKeys keys = hmacKeys.current();
        Verification result = cache.lookup(digest, keys, clock.instant());
        if (result == null) {
            result = switch (CompactJws.parse(token)) {
                case CompactJws.Malformed malformed -> new Verification.Invalid(malformed.detail());
                case CompactJws.WellFormed wellFormed -> verify(wellFormed.token(), digest);
            };
        }
        return result instanceof Verification.Valid valid ? unlessRevoked(valid, digest) : result;
    }

    private Verification unlessRevoked(Verification.Valid valid, TokenDigest digest) {
        String revoked = revocations.current().match(valid.identity().jti(), digest);
        if (revoked == null) {
            return valid;
        }
        String jti = valid.identity().jti();
        return new Verification.Revoked(valid.claims(), valid.identity(),
                jti == null ? revoked : revoked + " (jti " + Base64Json.sanitize(jti) + ")");
    }

    private Verification verify(CompactJws jws, TokenDigest digest) {
        Optional<HmacAlgorithm> hmac = HmacAlgorithm.fromJwsName(jws.alg());
        if (hmac.isPresent()) {
            return verifyHmac(jws, hmac.get(), digest);
        }
        Optional<AsymmetricAlgorithm> asymmetric = AsymmetricAlgorithm.fromJwsName(jws.alg());
        if (asymmetric.isPresent()) {
            return verifyAsymmetric(jws, asymmetric.get());
        }
        return new Verification.Invalid("unexpected signing method: " + Base64Json.sanitize(jws.alg()));
    }

    private Verification verifyHmac(CompactJws jws, HmacAlgorithm algorithm, TokenDigest digest) {
        HmacKeys keys = hmacKeys.current();
        if (keys.isEmpty()) {
            return new Verification.Invalid("no HMAC secret configured, " + algorithm + " tokens are not accepted");
        }
        if (!keys.signed(algorithm, jws.signingInputBytes(), jws.signature())) {
            return new Verification.Invalid("signature is invalid");
        }
        Verification result = checkClaims(jws);
        if (result instanceof Verification.Valid valid) {
            cache.remember(digest, keys, valid);
        }
        return result;
    }

    private Verification verifyAsymmetric(CompactJws jws, AsymmetricAlgorithm algorithm) {
        if (jwks.isEmpty()) {
            return new Verification.Invalid("no JWKS configured, " + algorithm + " tokens are not accepted");
        }
        if (jws.kid().isEmpty()) {
            return new Verification.Invalid(algorithm + " token has no kid");
        }
        String kid = jws.kid().get();
        return switch (jwks.get().lookupOrRefetch(kid)) {
            case JwksKeySet.Lookup.NotLoaded notLoaded -> new Verification.Unavailable("JWKS not loaded yet");
            case JwksKeySet.Lookup.Unknown unknown ->
                    new Verification.Invalid("no JWKS key with kid " + Base64Json.sanitize(kid));
            case JwksKeySet.Lookup.Found found -> found.key().fits(algorithm)
                    ? verifySignature(jws)
                    : new Verification.Invalid("JWKS key " + Base64Json.sanitize(kid) + " does not fit " + algorithm);
        };
    }

    private Verification verifySignature(CompactJws jws) {
        try {
            asymmetricParser.parseSignedClaims(jws.compact());
        } catch (ExpiredJwtException e) {
            return new Verification.Invalid("token is expired");
        } catch (PrematureJwtException e) {
            return new Verification.Invalid("token is not valid yet");
        } catch (SignatureException e) {
            return new Verification.Invalid("signature is invalid");
        } catch (JwtException | IllegalArgumentException e) {
            return new Verification.Invalid("token refused by the JWS parser (" + e.getClass().getSimpleName() + ")");
        }
        return checkClaims(jws);
    }

    private Verification checkClaims(CompactJws jws) {
        byte[] payload = Base64Json.decode(jws.payload());
        JsonObject decoded = payload == null ? null : Base64Json.parseObject(new String(payload, StandardCharsets.UTF_8));
        if (decoded == null) {
            return new Verification.Invalid("token payload is not a base64url-encoded JSON object");
        }
        String problem = claims.problem(decoded, clock.instant());
        return problem == null ? new Verification.Valid(decoded, TokenIdentity.of(jws, decoded))
                : new Verification.Invalid(problem);
    }
}

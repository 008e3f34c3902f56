package io.authgateway.auth;

import java.security.PublicKey;
import java.util.Optional;

/**
 * One verification key from a JWKS.
 *
 * @param kid the key ID tokens name it by
 * @param key the public key
 * @param alg the JWK's {@code alg}, when it pins one algorithm
 */
public record JwksKey(String kid, PublicKey key, Optional<String> alg) {

    /** Whether a token signed with {@code algorithm} may be checked with this key. */
    public boolean fits(AsymmetricAlgorithm algorithm) {
        return algorithm.fits(key) && alg.map(algorithm.name()::equals).orElse(true);
    }
}

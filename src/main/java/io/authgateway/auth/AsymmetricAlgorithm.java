package io.authgateway.auth;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/**
 * The JWS public-key algorithms the gateway verifies against JWKS keys, each with the one key type
 * it may use: RSA for RS and PS, the matching NIST curve for ES, an Edwards curve for EdDSA. A key
 * of another type is never tried (no key confusion).
 */
public enum AsymmetricAlgorithm {
    RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA;

    public static Optional<AsymmetricAlgorithm> fromJwsName(String alg) {
        for (AsymmetricAlgorithm candidate : values()) {
            if (candidate.name().equals(alg)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public boolean fits(PublicKey key) {
        return switch (this) {
            case RS256, RS384, RS512, PS256, PS384, PS512 -> key instanceof RSAPublicKey;
            case ES256 -> curveBits(key) == 256;
            case ES384 -> curveBits(key) == 384;
            case ES512 -> curveBits(key) == 521;
            case EdDSA -> key instanceof EdECPublicKey;
        };
    }

    private static int curveBits(PublicKey key) {
        return key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : -1;
    }
}

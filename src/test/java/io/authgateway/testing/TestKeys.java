package io.authgateway.testing;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import io.jsonwebtoken.security.SignatureAlgorithm;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;

/**
 * A signing key pair generated for a test with the JDK, its public half as a JWK with a {@code kid},
 * and a way to sign tokens with it via jjwt.
 *
 * @param alg the JWS algorithm it signs with (RS256 ... EdDSA)
 */
public record TestKeys(String kid, String alg, KeyPair pair) {

    public static TestKeys generate(String kid, String alg) {
        try {
            KeyPairGenerator generator;
            switch (alg.substring(0, 2)) {
                case "RS", "PS" -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                }
                case "ES" -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(switch (alg) {
                        case "ES256" -> "secp256r1";
                        case "ES384" -> "secp384r1";
                        default -> "secp521r1";
                    }));
                }
                default -> generator = KeyPairGenerator.getInstance("Ed25519");
            }
            return new TestKeys(kid, alg, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as JWK JSON, with {@code kid} (and no {@code alg}, like many identity providers). */
    public String publicJwkJson() {
        PublicJwk<?> jwk = Jwks.builder().key(pair.getPublic()).id(kid).build();
        return Jwks.json(jwk);
    }

    public String sign(Map<String, ?> claims) {
        return sign(claims, Map.of());
    }

    /** Signs with this key's private half; {@code extraHeader} is added to the JWS header. */
    public String sign(Map<String, ?> claims, Map<String, ?> extraHeader) {
        return Jwts.builder().header().keyId(kid).add(extraHeader).and()
                .claims(claims)
                .signWith(pair.getPrivate(), (SignatureAlgorithm) Jwts.SIG.get().forKey(alg))
                .compact();
    }

    /** A JWKS document with the public keys given. */
    public static String jwks(TestKeys... keys) {
        StringBuilder out = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            out.append(i == 0 ? "" : ",").append(keys[i].publicJwkJson());
        }
        return out.append("]}").toString();
    }
}

package io.authgateway.auth;

import java.util.Optional;

/** The JWS HMAC algorithms the gateway accepts, with their JCA names. */
public enum HmacAlgorithm {
    HS256("HmacSHA256"), HS384("HmacSHA384"), HS512("HmacSHA512");

    private final String jcaName;

    HmacAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    public String jcaName() {
        return jcaName;
    }

    public static Optional<HmacAlgorithm> fromJwsName(String alg) {
        return switch (alg) {
            case "HS256" -> Optional.of(HS256);
            case "HS384" -> Optional.of(HS384);
            case "HS512" -> Optional.of(HS512);
            default -> Optional.empty();
        };
    }
}

package io.authgateway.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of HMAC secrets, each ready for HS256/384/512. A signature is good if any secret
 * produced it, which is what makes rotation possible (add the new secret, re-issue, remove the old).
 *
 * <p>The HMAC is computed with {@code javax.crypto.Mac}: jjwt refuses keys shorter than the hash
 * (RFC 7518 §3.2), even to verify, and existing Go deployments use such secrets.
 */
public final class HmacKeys {

    public static final HmacKeys NONE = new HmacKeys(List.of());

    private final List<Map<HmacAlgorithm, Mac>> keys;

    private HmacKeys(List<Map<HmacAlgorithm, Mac>> keys) {
        this.keys = keys;
    }

    /** Empty strings are skipped: an empty HMAC key would let anyone sign. */
    public static HmacKeys of(List<String> secrets) {
        List<Map<HmacAlgorithm, Mac>> prepared = new ArrayList<>();
        for (String secret : secrets) {
            if (secret.isEmpty()) {
                continue;
            }
            Map<HmacAlgorithm, Mac> perAlgorithm = new EnumMap<>(HmacAlgorithm.class);
            for (HmacAlgorithm alg : HmacAlgorithm.values()) {
                perAlgorithm.put(alg, initialised(alg, secret.getBytes(StandardCharsets.UTF_8)));
            }
            prepared.add(perAlgorithm);
        }
        return new HmacKeys(List.copyOf(prepared));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    public boolean signed(HmacAlgorithm algorithm, byte[] signingInput, byte[] signature) {
        boolean match = false;
        for (Map<HmacAlgorithm, Mac> key : keys) {
            // No early exit: the time taken does not tell which secret matched.
            match |= MessageDigest.isEqual(copy(key.get(algorithm)).doFinal(signingInput), signature);
        }
        return match;
    }

    private static Mac initialised(HmacAlgorithm alg, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(alg.jcaName());
            mac.init(new SecretKeySpec(secret, alg.jcaName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + alg.jcaName(), e);
        }
    }

    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("Mac provider does not support clone", e);
        }
    }
}

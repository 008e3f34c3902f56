package io.authgateway.auth;

/** Where the HMAC secrets in force right now come from: fixed, or a file re-read while running. */
@FunctionalInterface
public interface HmacKeySource {

    HmacKeys current();

    static HmacKeySource fixed(HmacKeys keys) {
        return () -> keys;
    }
}

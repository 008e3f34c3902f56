package io.authgateway.auth;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Downloads and parses one JWKS document. Only public signature keys with a {@code kid} are kept:
 * private and symmetric ({@code oct}) keys, encryption keys ({@code use: enc}) and unsupported
 * types are skipped, so a JWKS can never supply an HMAC secret.
 */
public final class JwksClient {

    /** A JWKS larger than this is refused rather than read into memory. */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private final DocumentFetcher fetcher;
    private final URI url;

    public JwksClient(DocumentFetcher fetcher, URI url) {
        this.fetcher = fetcher;
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /** The usable keys by {@code kid}; throws {@link IOException} with a loggable reason on any failure. */
    public Map<String, JwksKey> fetch() throws IOException, InterruptedException {
        return parse(new String(fetcher.fetch(url, MAX_DOCUMENT_BYTES), StandardCharsets.UTF_8));
    }

    static Map<String, JwksKey> parse(String json) throws IOException {
        JwkSet set;
        try {
            set = Jwks.setParser().ignoreUnsupported(true).build().parse(json);
        } catch (RuntimeException e) {
            throw new IOException("JWKS document is not a valid JWK set (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, JwksKey> keys = new HashMap<>();
        for (Jwk<?> jwk : set.getKeys()) {
            String use = jwk.get("use") instanceof String u ? u : "sig";
            if (jwk instanceof PublicJwk<?> publicJwk && jwk.getId() != null && use.equals("sig")
                    && publicJwk.toKey() instanceof PublicKey key) {
                keys.put(jwk.getId(), new JwksKey(jwk.getId(), key, Optional.ofNullable(jwk.getAlgorithm())));
            }
        }
        if (keys.isEmpty()) {
            throw new IOException("JWKS document has no public signature key with a kid");
        }
        return Map.copyOf(keys);
    }
}

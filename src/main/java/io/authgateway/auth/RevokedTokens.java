package io.authgateway.auth;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * One version of {@code -gateway.auth.revoked-tokens-file}: token ids ({@code jti}) and SHA-256
 * digests of whole tokens. Immutable; a reload builds a new one and swaps it in. Checking a token
 * is two hash-set lookups whatever the number of entries.
 */
public final class RevokedTokens {

    public static final RevokedTokens NONE = new RevokedTokens(Set.of(), Set.of());

    private final Set<String> jtis;
    private final Set<TokenDigest> digests;

    /** @param sha256Hex digests of whole compact tokens, 64 hex digits each */
    public static RevokedTokens of(Set<String> jtis, Set<String> sha256Hex) {
        Set<TokenDigest> digests = HashSet.newHashSet(sha256Hex.size());
        sha256Hex.forEach(hex -> digests.add(TokenDigest.fromHex(hex)));
        return new RevokedTokens(Collections.unmodifiableSet(new HashSet<>(jtis)), Collections.unmodifiableSet(digests));
    }

    private RevokedTokens(Set<String> jtis, Set<TokenDigest> digests) {
        this.jtis = jtis;
        this.digests = digests;
    }

    /** Why this token is revoked, for the log (never the token itself), or null when it is not. */
    public String match(String jti, TokenDigest digest) {
        if (jti != null && jtis.contains(jti)) {
            return "token revoked by its jti";
        }
        if (!digests.isEmpty() && digests.contains(digest)) {
            return "token revoked by its sha256";
        }
        return null;
    }

    public int size() {
        return jtis.size() + digests.size();
    }
}

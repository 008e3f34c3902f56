package io.authgateway.auth;

import io.authgateway.config.ClaimRules;
import io.authgateway.config.RevokedTokensFile;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Revoking single tokens: the file's format, matching by jti and by digest, and the verified-token cache. */
class RevocationTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private final AtomicReference<RevokedTokens> revoked = new AtomicReference<>(RevokedTokens.NONE);
    private final TokenVerifier verifier = new TokenVerifier(HmacKeySource.fixed(HmacKeys.of(List.of(Tokens.SECRET))),
            Optional.empty(), new ClaimValidator(ClaimRules.GO_DEFAULTS), 0, CLOCK, revoked::get);

    @Test
    void parsesJtisAndDigestsAndIgnoresCommentsAndBlankLines() {
        String hex = "AB".repeat(32);
        RevokedTokensFile.Parsed parsed = RevokedTokensFile.parse("# leaked 2026-11-30\n\n  jti-one \r\nsha256:" + hex
                + "\nSHA256:" + "cd".repeat(32) + "\n#sha256:zz\n");
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.jtis()).containsExactly("jti-one");
        assertThat(parsed.sha256Hex()).containsExactlyInAnyOrder("ab".repeat(32), "cd".repeat(32));
    }

    @Test
    void aMalformedDigestIsAProblemNamingItsLine() {
        RevokedTokensFile.Parsed parsed = RevokedTokensFile.parse("ok\nsha256:abc\nsha256:" + "g".repeat(64) + "\n");
        assertThat(parsed.problems()).containsExactly("line 2: sha256: must be followed by 64 hex digits",
                "line 3: sha256: must be followed by 64 hex digits");
    }

    @Test
    void refusesATokenByItsJtiAndSaysSoWithoutTheToken() {
        String token = Tokens.sign(Tokens.claims("{\"tenant_id\":\"t\",\"jti\":\"leaked-1\",\"sub\":\"ci\"}"));
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        revoked.set(RevokedTokens.of(Set.of("leaked-1"), Set.of()));
        Verification result = verifier.verify(token);
        assertThat(result).isInstanceOf(Verification.Revoked.class);
        Verification.Revoked revokedToken = (Verification.Revoked) result;
        assertThat(revokedToken.detail()).isEqualTo("token revoked by its jti (jti leaked-1)").doesNotContain(token);
        assertThat(revokedToken.identity()).isEqualTo(new TokenIdentity("ci", "leaked-1", null, "HS256"));
    }

    @Test
    void refusesATokenWithoutJtiByTheDigestOfTheWholeToken() {
        String token = Tokens.forTenant("t");
        String other = Tokens.forTenant("u");
        revoked.set(RevokedTokens.of(Set.of(), Set.of(TokenDigest.of(token).hex())));
        assertThat(verifier.verify(token)).isInstanceOfSatisfying(Verification.Revoked.class, revokedToken -> {
            assertThat(revokedToken.identity()).isEqualTo(new TokenIdentity(null, null, null, "HS256"));
            assertThat(revokedToken.detail()).isEqualTo("token revoked by its sha256");
            assertThat(revokedToken.claims().get("tenant_id").getAsString()).isEqualTo("t");
        });
        assertThat(verifier.verify(other)).isInstanceOf(Verification.Valid.class);
    }

    @Test
    void aCachedTokenIsRefusedOnceRevokedAndAcceptedAgainOnceTheEntryIsGone() {
        String token = Tokens.sign(Tokens.claims("{\"tenant_id\":\"t\",\"jti\":\"j\"}"));
        Verification first = verifier.verify(token);
        assertThat(verifier.verify(token)).isSameAs(first);
        revoked.set(RevokedTokens.of(Set.of("j"), Set.of()));
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Revoked.class);
        revoked.set(RevokedTokens.NONE);
        assertThat(verifier.verify(token)).isSameAs(first);
    }

    @Test
    void aListOf100000EntriesStillMatchesExactly() {
        Set<String> jtis = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            jtis.add("jti-" + i);
            digests.add(TokenDigest.of("token-" + i).hex());
        }
        RevokedTokens list = RevokedTokens.of(jtis, digests);
        assertThat(list.size()).isEqualTo(100_000);
        assertThat(list.match("jti-49999", TokenDigest.of("x"))).isNotNull();
        assertThat(list.match(null, TokenDigest.of("token-123"))).isNotNull();
        assertThat(list.match("jti-50000", TokenDigest.of("token-50000"))).isNull();
    }

    @Test
    void aDigestRoundTripsThroughHex() {
        TokenDigest digest = TokenDigest.of("a.b.c");
        assertThat(TokenDigest.fromHex(digest.hex())).isEqualTo(digest);
        assertThat(digest.hex()).hasSize(64).matches("[0-9a-f]+");
    }
}

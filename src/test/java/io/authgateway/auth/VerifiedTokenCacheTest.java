package io.authgateway.auth;

import io.authgateway.config.ClaimRules;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The verified-token cache must never keep accepting what a fresh verification would refuse. */
class VerifiedTokenCacheTest {

    private static final long NOW = 1_800_000_000L;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.ofEpochSecond(NOW);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final AtomicReference<HmacKeys> secrets = new AtomicReference<>(HmacKeys.of(List.of(Tokens.SECRET)));
    private final TokenVerifier verifier = new TokenVerifier(secrets::get, Optional.empty(),
            new ClaimValidator(ClaimRules.GO_DEFAULTS), 0, clock);

    @Test
    void aRepeatedTokenIsServedFromTheCache() {
        String token = Tokens.forTenant("t1");
        Verification first = verifier.verify(token);
        Verification second = verifier.verify(token);
        assertThat(first).isInstanceOf(Verification.Valid.class);
        assertThat(second).isSameAs(first);
    }

    @Test
    void aCachedTokenIsRejectedOnceItExpires() {
        String token = Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":\"t\",\"exp\":" + (NOW + 10) + "}");
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        clock.advance(Duration.ofSeconds(10));
        assertThat(verifier.verify(token)).isEqualTo(new Verification.Invalid("token is expired"));
    }

    @Test
    void aCachedTokenIsNotAcceptedBeforeItsNotBefore() {
        String token = Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":\"t\",\"nbf\":" + NOW + "}");
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        clock.advance(Duration.ofSeconds(-5));
        assertThat(verifier.verify(token)).isEqualTo(new Verification.Invalid("token is not valid yet"));
    }

    @Test
    void aRotatedOutSecretInvalidatesItsCachedTokens() {
        String token = Tokens.forTenant("t1");
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
        secrets.set(HmacKeys.of(List.of("the-new-secret")));
        assertThat(verifier.verify(token)).isEqualTo(new Verification.Invalid("signature is invalid"));
    }

    @Test
    void invalidTokensAreNeverCached() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, Duration.ZERO);
        String token = Tokens.forTenant("t1");
        assertThat(cache.lookup(token, secrets.get(), clock.instant())).isNull();
        assertThat(verifier.verify(token + "x")).isInstanceOf(Verification.Invalid.class);
        assertThat(verifier.verify(token + "x")).isInstanceOf(Verification.Invalid.class);
    }

    @Test
    void staysBoundedUnderManyDistinctTokens() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ZERO);
        Verification.Valid valid = new Verification.Valid(Tokens.claims("{\"tenant_id\":\"t\"}"));
        for (int i = 0; i < 1000; i++) {
            cache.remember("token-" + i, secrets.get(), valid);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        assertThat(cache.lookup("token-999", secrets.get(), clock.instant())).isSameAs(valid);
    }
}

package io.authgateway.limits;

import io.authgateway.config.LimitKey;
import io.authgateway.config.TenantLimits;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.RouteClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The limiter on a fixed clock with local buckets: which limit refuses, Retry-After, in-flight counts, debt. */
class TenantLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1 << 20;
    /** The worked example of docs/limits.md: 20 pushes/s and 4 MiB/s. */
    private static final TenantLimits CAPPED = TenantLimits.UNLIMITED.with(Map.of(
            LimitKey.WRITE_REQUESTS_PER_SECOND, 20.0, LimitKey.WRITE_BYTES_PER_SECOND, (double) (4 * MIB),
            LimitKey.READ_REQUESTS_PER_SECOND, 5.0, LimitKey.READ_BURST, 2.0, LimitKey.MAX_INFLIGHT_REQUESTS, 3.0));

    private final AtomicLong clock = new AtomicLong(1000 * SECOND);
    private final Log log = new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());
    private final InflightCounts inflight = new InflightCounts();
    private final TenantLimiter limiter = new TenantLimiter(() -> new LimitTable(TenantLimits.UNLIMITED, Map.of("capped", CAPPED)),
            new LocalRateStore(clock::get), inflight, new RetryAfter(() -> new Random(7)), log);

    @Test
    void twentyPushesPassAtOnceAndTheTwentyFirstIsRefusedForItsRequestRate() {
        for (int i = 0; i < 20; i++) {
            admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000)).release(1000);
        }
        Admission.Refused refused = refused(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000));
        assertThat(refused.limit()).isEqualTo(Limit.REQUESTS);
        assertThat(refused.limitClass()).isEqualTo(LimitClass.WRITE);
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        clock.addAndGet(SECOND / 20);
        assertThat(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void bytesOverTheRateAreRefusedForBytesWithoutUsingARequest() {
        admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, 3 * MIB)).release(3 * MIB);
        Admission.Refused refused = refused(limiter.admit(List.of("capped"), RouteClass.WRITE, 3 * MIB));
        assertThat(refused.limit()).isEqualTo(Limit.BYTES);
        // 2 MiB missing at 4 MiB/s: 0.5 s, rounded up to 1 s, plus 0..1 s of jitter
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        for (int i = 0; i < 19; i++) { // the refused push took no request: 19 small ones still fit
            admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, 0)).release(0);
        }
        assertThat(refused(limiter.admit(List.of("capped"), RouteClass.WRITE, 0)).limit()).isEqualTo(Limit.REQUESTS);
    }

    @Test
    void aChunkedPushIsChargedWhenDoneAndTheNextPushesWaitForTheDebt() {
        Permit chunked = admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, -1));
        chunked.release(20 * MIB); // 5 s worth at 4 MiB/s
        Admission.Refused refused = refused(limiter.admit(List.of("capped"), RouteClass.WRITE, -1));
        assertThat(refused.limit()).isEqualTo(Limit.BYTES);
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        clock.addAndGet(4 * SECOND);
        assertThat(limiter.admit(List.of("capped"), RouteClass.WRITE, -1)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aChunkedBodyIsChargedAsItStreamsSoPushesSentMeanwhileAlreadyWait() throws Exception {
        Permit streaming = admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, -1));
        assertThat(streaming.chargesBody()).isTrue();
        try (java.io.InputStream body = streaming.meter(new java.io.ByteArrayInputStream(new byte[(int) (8 * MIB)]))) {
            assertThat(body.readNBytes((int) (6 * MIB))).hasSize((int) (6 * MIB)); // 1.5 s worth, still streaming
            Admission.Refused meanwhile = refused(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000));
            assertThat(meanwhile.limit()).isEqualTo(Limit.BYTES);
            body.readAllBytes();
        }
        streaming.release(8 * MIB); // all 8 MiB charged once, not 14
        clock.addAndGet(SECOND + SECOND / 100); // owed 2 s, 1 s beyond the burst: just over 1 s later a small push fits
        assertThat(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000)).isInstanceOf(Admission.Admitted.class);
        assertThat(admitted(limiter.admit(List.of("capped"), RouteClass.WRITE, 1000)).chargesBody()).isFalse();
    }

    @Test
    void readsCountApartFromWritesWithTheirOwnBurst() {
        admitted(limiter.admit(List.of("capped"), RouteClass.READ, 0)).release(0);
        admitted(limiter.admit(List.of("capped"), RouteClass.RULES_READ, 0)).release(0);
        Admission.Refused refused = refused(limiter.admit(List.of("capped"), RouteClass.ALERTS_READ, 0));
        assertThat(refused.limitClass()).isEqualTo(LimitClass.READ);
        assertThat(refused.limit()).isEqualTo(Limit.REQUESTS);
        assertThat(limiter.admit(List.of("capped"), RouteClass.WRITE, 0)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void inFlightRequestsAreCappedPerTenantAndClassAndGivenBackOnRelease() {
        Permit one = admitted(limiter.admit(List.of("capped"), RouteClass.READ, 0));
        clock.addAndGet(SECOND);
        Permit two = admitted(limiter.admit(List.of("capped"), RouteClass.READ, 0));
        clock.addAndGet(SECOND);
        Permit three = admitted(limiter.admit(List.of("capped"), RouteClass.READ, 0));
        clock.addAndGet(SECOND);
        Admission.Refused refused = refused(limiter.admit(List.of("capped"), RouteClass.READ, 0));
        assertThat(refused.limit()).isEqualTo(Limit.INFLIGHT);
        assertThat(inflight.inflight(LimitClass.READ)).isEqualTo(3);
        assertThat(limiter.admit(List.of("other"), RouteClass.READ, 0)).isInstanceOf(Admission.Admitted.class);
        one.release(0);
        two.release(0);
        three.release(0);
        assertThat(inflight.inflight("capped", LimitClass.READ)).isZero();
        assertThat(limiter.admit(List.of("capped"), RouteClass.READ, 0)).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void aFederatedReadIsChargedToEachTenantAndRefusedWhenOneIsOver() {
        admitted(limiter.admit(List.of("capped", "other"), RouteClass.READ, 0)).release(0);
        admitted(limiter.admit(List.of("other", "capped"), RouteClass.READ, 0)).release(0);
        Admission.Refused refused = refused(limiter.admit(List.of("other", "capped"), RouteClass.READ, 0));
        assertThat(refused.tenant()).isEqualTo("capped");
        assertThat(inflight.inflight("other", LimitClass.READ)).isZero(); // nothing left held by the refusal
    }

    @ParameterizedTest
    @EnumSource(RouteClass.class)
    void anUnlimitedTenantIsNeverRefused(RouteClass routeClass) {
        for (int i = 0; i < 1000; i++) {
            admitted(limiter.admit(List.of("free"), routeClass, 10 * MIB)).release(10 * MIB);
        }
    }

    @Test
    void retryAfterIsTheEstimateRoundedUpPlusAtMostHalfOfIt() {
        RetryAfter retryAfter = new RetryAfter(() -> new Random(1));
        for (int i = 0; i < 100; i++) {
            assertThat(retryAfter.after(SECOND / 10)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(retryAfter.after(10 * SECOND + 1)).isBetween(Duration.ofSeconds(11), Duration.ofSeconds(16));
        }
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        RetryAfter spread = new RetryAfter(java.util.concurrent.ThreadLocalRandom::current);
        for (int i = 0; i < 100; i++) {
            seen.add(spread.after(8 * SECOND));
        }
        assertThat(seen).hasSizeGreaterThan(1); // clients refused together come back at different times
    }

    @Test
    void refusalsAreLoggedOncePerTenantEveryTenSecondsWithTheCountLeftOut() {
        LogThrottle throttle = new LogThrottle(java.time.Duration.ofSeconds(10), clock::get);
        assertThat(throttle.admit("a")).isZero();
        assertThat(throttle.admit("a")).isEqualTo(-1);
        assertThat(throttle.admit("a")).isEqualTo(-1);
        assertThat(throttle.admit("b")).isZero();
        clock.addAndGet(10 * SECOND);
        assertThat(throttle.admit("a")).isEqualTo(2);
    }

    @Test
    void idleBucketsAreForgotten() {
        LocalRateStore store = new LocalRateStore(clock::get);
        store.take(List.of(new Take("t:write:requests", Rate.of(1, 1), 1, Limit.REQUESTS, "t")));
        store.sweep();
        assertThat(store.buckets()).isEqualTo(1);
        clock.addAndGet(SECOND);
        store.sweep();
        assertThat(store.buckets()).isZero();
    }

    private static Permit admitted(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).permit();
    }

    private static Admission.Refused refused(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Refused.class);
        return (Admission.Refused) admission;
    }
}

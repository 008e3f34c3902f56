package io.authgateway.limits;

import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the shared store's failures turn into, on a fixed clock. */
class GuardedRateStoreTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Take PUSH = new Take("t:write:requests:10.0:10", Rate.of(10, 10), 1, Limit.REQUESTS, "t");

    private final AtomicLong clock = new AtomicLong(5000 * SECOND);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final Log log = new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(logs, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    private final FlakyStore redis = new FlakyStore();

    @Test
    void failOpenDecidesLocallyWithTheRateDividedByTheReplicasAndLeavesRedisAloneForASecond() throws Exception {
        GuardedRateStore store = new GuardedRateStore(redis, new LocalRateStore(clock::get), true, 2, clock::get, log);
        redis.down = true;
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            if (store.take(List.of(PUSH)) == RateDecision.ALLOWED) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(5); // burst 10 shared by 2 replicas
        assertThat(redis.calls.get()).isEqualTo(1); // one try, then a second of back-off
        assertThat(store.errors()).isEqualTo(1);

        clock.addAndGet(GuardedRateStore.BACK_OFF.toNanos());
        redis.down = false;
        assertThat(store.take(List.of(PUSH))).isEqualTo(RateDecision.ALLOWED);
        assertThat(redis.calls.get()).isEqualTo(2);
        store.take(List.of(PUSH));
        assertThat(redis.calls.get()).isEqualTo(3); // back on Redis for every decision
    }

    @Test
    void failClosedThrowsForTheCallerToAnswer503() {
        GuardedRateStore store = new GuardedRateStore(redis, new LocalRateStore(clock::get), false, 1, clock::get, log);
        redis.down = true;
        assertThatThrownBy(() -> store.take(List.of(PUSH))).isInstanceOf(RateStore.StoreException.class);
        assertThatThrownBy(() -> store.take(List.of(PUSH))).hasMessageContaining("backing off");
        assertThat(redis.calls.get()).isEqualTo(1);
    }

    @Test
    void failuresAreLoggedAtMostOnceAMinuteAndAllCounted() throws Exception {
        GuardedRateStore store = new GuardedRateStore(redis, new LocalRateStore(clock::get), true, 1, clock::get, log);
        redis.down = true;
        for (int i = 0; i < 120; i++) { // two minutes, one try a second
            store.take(List.of(PUSH));
            clock.addAndGet(SECOND);
        }
        assertThat(store.errors()).isEqualTo(120);
        String text = logs.toString(StandardCharsets.UTF_8);
        assertThat(text.split("limits store failed, limiting with local counts", -1)).hasSize(3); // twice
    }

    @Test
    void aStreamedBodyIsChargedLocallyWhenRedisFailsEvenFailClosed() throws Exception {
        LocalRateStore local = new LocalRateStore(clock::get);
        GuardedRateStore store = new GuardedRateStore(redis, local, false, 1, clock::get, log);
        redis.down = true;
        store.charge(new Take("t:write:bytes:100.0:100", Rate.of(100, 100), 1000, Limit.BYTES, "t"));
        assertThat(local.buckets()).isEqualTo(1);
    }

    /** A shared store that is up or down on demand and counts its calls. */
    private static final class FlakyStore implements RateStore {
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public RateDecision take(List<Take> takes) throws StoreException {
            calls.incrementAndGet();
            if (down) {
                throw new StoreException("redis: connection refused", null);
            }
            return RateDecision.ALLOWED;
        }

        @Override
        public void charge(Take take) throws StoreException {
            calls.incrementAndGet();
            if (down) {
                throw new StoreException("redis: connection refused", null);
            }
        }
    }
}

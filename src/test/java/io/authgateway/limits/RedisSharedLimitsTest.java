package io.authgateway.limits;

import io.authgateway.testing.Exposition;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.RedisServer;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway replicas sharing one real Redis: a tenant is held to its limit across both, Redis
 * killed mid-run leaves them serving (fail-open) and they go back to the shared count when it
 * returns; fail-closed answers 503. Not a {@code *WireTest}: the upstream client does not matter
 * here, and the 20 s of load should run once per build, not twice. {@link Isolated}: alone, so its
 * load does not starve the timing-sensitive wire tests that would otherwise run beside it, and
 * theirs does not slow its Redis calls past the timeout.
 */
@Isolated
class RedisSharedLimitsTest {

    private static final double RATE = 25;
    private static final int BURST = 25;

    private RedisServer redis;
    private RecordingUpstream upstream;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        upstream = new RecordingUpstream("distributor");
        upstream.respondWith((exchange, request) -> RecordingUpstream.text(exchange, 200, "ok"));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        redis.close();
    }

    private TestGateway replica(String... more) throws Exception {
        List<String> flags = new ArrayList<>(List.of("-gateway.limits.store=redis", "-gateway.limits.redis-address=" + redis.address(),
                "-gateway.limits.write-requests-per-second=" + RATE, "-gateway.limits.write-burst=" + BURST,
                "-gateway.limits.replicas-hint=2", "-log.level=info"));
        flags.addAll(List.of(more));
        return TestGateway.mimir().upstream(upstream.base()).flags(flags.toArray(String[]::new)).start();
    }

    @Test
    void twoReplicasHoldATenantToItsLimitWithinTenPercentOverTwentySeconds() throws Exception {
        // A timeout well above the default 50 ms: this measures the shared count, and on a busy 2-core
        // machine a decision that times out falls back to local counts (a fresh local burst each time).
        try (TestGateway a = replica("-gateway.limits.redis-timeout=500ms");
             TestGateway b = replica("-gateway.limits.redis-timeout=500ms")) {
            Load load = new Load(List.of(a, b), Tokens.forTenant("storm"));
            load.run(Duration.ofSeconds(20));
            double limit = RATE * 20;
            System.out.printf("two replicas, 20 s: %s; limit %.0f/s + burst %d; store errors %.0f%n", load, RATE, BURST,
                    storeErrors(a) + storeErrors(b));
            assertThat(storeErrors(a) + storeErrors(b)).isZero();
            assertThat(load.count(200)).isBetween((long) (limit * 0.9), (long) ((limit + BURST) * 1.1));
            assertThat(load.count(429)).isGreaterThan(load.count(200)); // the offered load was well over the limit
            assertThat(load.byReplica(0)).isGreaterThan(load.count(200) / 4);
            assertThat(load.byReplica(1)).isGreaterThan(load.count(200) / 4);
            assertThat(load.statuses()).containsOnlyKeys(200, 429);
        }
    }

    @Test
    void withRedisKilledMidRunTheReplicasKeepServingAndGoBackToTheSharedCountWhenItReturns() throws Exception {
        try (TestGateway a = replica(); TestGateway b = replica()) {
            Load load = new Load(List.of(a, b), Tokens.forTenant("outage"));
            Thread chaos = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(2000);
                    redis.kill();
                    Thread.sleep(3000);
                    redis.restart();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            load.run(Duration.ofSeconds(8));
            chaos.join();
            System.out.printf("two replicas, Redis killed at 2 s, back at 5 s, 8 s: %s%n", load);
            assertThat(load.statuses()).containsOnlyKeys(200, 429); // no 5xx, nothing lost
            // fail-open with replicas-hint 2: about the limit all along, never unlimited. Bursts on top of
            // rate x time: the first, each replica's local half-burst, and the restarted (empty) Redis'.
            assertThat(load.count(200)).isBetween((long) (RATE * 8 * 0.8), (long) ((RATE * 8 + 3 * BURST) * 1.1));
            assertThat(storeErrors(a) + storeErrors(b)).isPositive();
            assertThat(a.logs() + b.logs()).contains("limits store failed, limiting with local counts");
            try (Jedis jedis = redis.client()) {
                assertThat(jedis.keys(RedisRateStore.KEY_PREFIX + "outage:*")).isNotEmpty(); // shared again
            }
        }
    }

    @Test
    void failClosedAnswers503WhileRedisIsDownAndSlowRedisCostsAtMostTheTimeout() throws Exception {
        try (TestGateway closed = replica("-gateway.limits.redis-fail-open=false", "-gateway.limits.redis-timeout=100ms")) {
            String token = Tokens.forTenant("strict");
            assertThat(push(closed, token)).isEqualTo(200);

            Thread sleeper = Thread.ofVirtual().start(() -> {
                try (Jedis jedis = redis.client()) {
                    ProtocolCommand debug = () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    jedis.sendCommand(debug, "SLEEP", "1.5"); // Redis blocked for 1.5 s, as a slow node
                }
            });
            Thread.sleep(200);
            long started = System.nanoTime();
            var slow = closed.send(closed.request("/api/v1/push").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.headers().firstValue("Retry-After")).contains("1");
            assertThat(tookMillis).isLessThan(1000);
            sleeper.join();

            redis.kill();
            assertThat(push(closed, token)).isEqualTo(503);
            assertThat(closed.logs()).contains("limits store unavailable, answered 503");
            redis.restart();
            TestGateway.await(Duration.ofSeconds(5), "Redis back", () -> push(closed, token) == 200);
        }
    }

    private static int push(TestGateway gateway, String token) {
        try {
            return gateway.send(gateway.request("/api/v1/push").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double storeErrors(TestGateway gateway) throws Exception {
        return Exposition.parse(gateway.get("/metrics").body()).value("cortex_gateway_limits_store_errors_total").orElseThrow();
    }

    /** Pushes from 2 clients, each alternating between the replicas with a 10 ms pause: about 180 a second offered. */
    private static final class Load {
        private final List<TestGateway> replicas;
        private final String token;
        private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        private final AtomicLong[] passedBy = {new AtomicLong(), new AtomicLong()};

        Load(List<TestGateway> replicas, String token) {
            this.replicas = replicas;
            this.token = token;
        }

        void run(Duration duration) throws InterruptedException {
            long deadline = System.nanoTime() + duration.toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int first = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    for (int i = first; System.nanoTime() < deadline; i++) {
                        int replica = i % 2;
                        int status = push(replicas.get(replica), token);
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        if (status == 200) {
                            passedBy[replica].incrementAndGet();
                        }
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread client : clients) {
                client.join();
            }
        }

        long count(int status) {
            AtomicLong count = statuses.get(status);
            return count == null ? 0 : count.get();
        }

        long byReplica(int replica) {
            return passedBy[replica].get();
        }

        Map<Integer, AtomicLong> statuses() {
            return statuses;
        }

        @Override
        public String toString() {
            return "statuses " + statuses + ", passed by replica " + passedBy[0] + "/" + passedBy[1];
        }
    }
}

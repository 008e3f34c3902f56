package io.authgateway.limits;

import io.authgateway.testing.Exposition;
import io.authgateway.testing.RawClient;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-tenant limits on the wire: 429 with Retry-After per class and limit, before anything is forwarded. */
class LimitsWireTest {

    private static final String PUSH = "/api/v1/push";
    private static final String QUERY = "/prometheus/api/v1/query";

    @TempDir
    Path dir;

    @Test
    void pushesOverTheRequestRateGet429WithRetryAfterAndReachNoUpstreamWhileReadsGoOn() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.write-requests-per-second=0.2", "-gateway.limits.write-burst=2").start()) {
            String token = Tokens.forTenant("team-a");
            assertThat(push(gateway, token, "one").statusCode()).isEqualTo(200);
            assertThat(push(gateway, token, "two").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = push(gateway, token, "three");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("Too Many Requests: request rate limit reached\n");
            // 5 s until one more fits at 0.2/s (less the time the test took), plus up to half of it as jitter
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(4L, 7L);
            assertThat(upstream.received()).isEqualTo(2);
            assertThat(push(gateway, Tokens.forTenant("team-b"), "other tenant").statusCode()).isEqualTo(200);
            assertThat(query(gateway, token).statusCode()).isEqualTo(200);

            Exposition metrics = Exposition.parse(gateway.get("/metrics").body());
            assertThat(metrics.value("cortex_gateway_limited_requests_total", "class", "write", "limit", "requests",
                    "tenant", "team-a")).contains(1.0);
            assertThat(gateway.logs()).contains("request over a tenant limit, answered 429", "org_id=team-a", "class=write",
                    "limit=requests");
        }
    }

    @Test
    void queriesAndPromqlPostsCountAsReadsWithTheirOwnRate() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("query-frontend");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.read-requests-per-second=0.1", "-gateway.limits.read-burst=2",
                             "-gateway.metrics.tenant-label=false").start()) {
            String token = Tokens.forTenant("dashboards");
            assertThat(query(gateway, token).statusCode()).isEqualTo(200);
            HttpResponse<String> post = gateway.send(gateway.request(QUERY).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("query=up")));
            assertThat(post.statusCode()).isEqualTo(200);
            HttpResponse<String> refused = query(gateway, token);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(8L, 15L);
            assertThat(push(gateway, token, "writes are not reads").statusCode()).isEqualTo(200);
            Exposition metrics = Exposition.parse(gateway.get("/metrics").body());
            assertThat(metrics.value("cortex_gateway_limited_requests_total", "class", "read", "limit", "requests")).contains(1.0);
        }
    }

    @Test
    void aFederatedReadIsChargedToEachOfItsTenants() throws Exception {
        Path file = dir.resolve("federated.yaml");
        write(file, "overrides:\n  team-b:\n    read_requests_per_second: 0.01\n    read_burst: 1\n");
        try (RecordingUpstream upstream = new RecordingUpstream("query-frontend");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.overrides-file=" + file).start()) {
            String list = Tokens.sign(Tokens.claims("{\"tenant_id\":[\"team-a\",\"team-b\"]}"));
            assertThat(query(gateway, list).statusCode()).isEqualTo(200);
            assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-a|team-b");
            assertThat(query(gateway, list).statusCode()).as("team-b's read budget is spent").isEqualTo(429);
            HttpResponse<String> teamAOnly = gateway.send(gateway.request(QUERY).header("Authorization", "Bearer " + list)
                    .header("X-Scope-OrgID", "team-a"));
            assertThat(teamAOnly.statusCode()).as("a read of team-a alone is not charged to team-b").isEqualTo(200);
            assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-a");
        }
    }

    @Test
    void fixedLengthPushesAreChargedTheirBytesUpFrontAndARefusedBodyIsNotRead() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.write-bytes-per-second=100000").start()) {
            String token = Tokens.forTenant("bulk");
            // 95 % of the one-second burst twice: the second fits only if 0.9 s pass between the two
            assertThat(push(gateway, token, "x".repeat(95_000)).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = push(gateway, token, "x".repeat(95_000));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("Too Many Requests: ingestion byte rate limit reached\n");
            assertThat(upstream.received()).isEqualTo(1);

            // A large body the client is still sending: answered at once, without reading it, and the connection closed.
            // Its tenant first owes 10 s (a chunked megabyte), so the refusal does not depend on how fast this test runs.
            String indebted = Tokens.forTenant("bulk-indebted");
            assertThat(gateway.send(gateway.request(PUSH).header("Authorization", "Bearer " + indebted)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1_000_000]))))
                    .statusCode()).isEqualTo(200);
            int received = upstream.received();
            try (RawClient raw = new RawClient(gateway.port())) {
                raw.send("POST " + PUSH + " HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + indebted
                        + "\r\nContent-Length: 5000000\r\n\r\n" + "y".repeat(1000));
                String answer = raw.answer();
                assertThat(answer).startsWith("HTTP/1.1 429 ").containsIgnoringCase("Retry-After: ");
                assertThat(raw.closedByPeer()).isTrue();
            }
            assertThat(upstream.received()).isEqualTo(received);
        }
    }

    @Test
    void aChunkedPushOverTheByteRateIsCompletedAndTheNextPushesWaitForTheDebt() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.write-bytes-per-second=100000").start()) {
            String token = Tokens.forTenant("streamer");
            byte[] body = new byte[500_000]; // 5 s worth
            HttpResponse<String> streamed = gateway.send(gateway.request(PUSH).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(upstream.take().bodyLength()).isEqualTo(500_000);
            HttpResponse<String> next = push(gateway, token, "small");
            assertThat(next.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(next.headers().firstValue("Retry-After").orElseThrow())).isBetween(3L, 6L);
            HttpResponse<String> nextChunked = gateway.send(gateway.request(PUSH).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[10]))));
            assertThat(nextChunked.statusCode()).isEqualTo(429);
            assertThat(upstream.received()).isZero();
        }
    }

    @Test
    void aChunkedPushIsChargedWhileItStreamsSoAPushSentMeanwhileWaits() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.write-bytes-per-second=100000").start()) {
            String token = Tokens.forTenant("slow-streamer");
            byte[] first = new byte[1_000_000]; // three 256 KiB charges while it streams: about 7.9 s owed
            java.io.InputStream body = new java.io.SequenceInputStream(new ByteArrayInputStream(first), new java.io.InputStream() {
                private boolean done;

                @Override
                public int read() throws java.io.IOException {
                    if (!done) {
                        try {
                            rest.await(20, TimeUnit.SECONDS); // the client pauses mid-body
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        done = true;
                    }
                    return -1;
                }
            });
            CompletableFuture<HttpResponse<String>> streaming = gateway.client().sendAsync(gateway.request(PUSH)
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            TestGateway.await(Duration.ofSeconds(10), "the streamed bytes charged", () -> status(gateway, token) == 429);
            HttpResponse<String> meanwhile = push(gateway, token, "small");
            assertThat(meanwhile.statusCode()).isEqualTo(429);
            assertThat(meanwhile.body()).isEqualTo("Too Many Requests: ingestion byte rate limit reached\n");
            rest.countDown();
            assertThat(streaming.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            java.util.List<Long> lengths = new java.util.ArrayList<>(); // probes that passed before the charge, and the stream
            for (RecordingUpstream.Recorded r = upstream.poll(Duration.ofSeconds(1)); r != null; r = upstream.poll(Duration.ofMillis(200))) {
                lengths.add(r.bodyLength());
            }
            assertThat(lengths).contains(1_000_000L);
        }
    }

    @Test
    void requestsInFlightAreCappedPerTenantAndClass() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        try (RecordingUpstream upstream = new RecordingUpstream("query-frontend");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.max-inflight-requests=1").start()) {
            upstream.respondWith((exchange, request) -> {
                if (request.rawPath().endsWith("query_range")) {
                    arrived.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                RecordingUpstream.text(exchange, 200, "ok");
            });
            String token = Tokens.forTenant("slow-dashboards");
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return gateway.get(QUERY + "_range", "Authorization", "Bearer " + token);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> refused = query(gateway, token);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("Too Many Requests: too many requests in flight\n");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(push(gateway, token, "writes count apart").statusCode()).isEqualTo(200);
            assertThat(query(gateway, Tokens.forTenant("someone-else")).statusCode()).isEqualTo(200);
            Exposition during = Exposition.parse(gateway.get("/metrics").body());
            assertThat(during.value("cortex_gateway_inflight_requests", "class", "read")).contains(1.0);
            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            // the slot is given back when the handler returns, which may be just after the client read the answer
            TestGateway.await(Duration.ofSeconds(10), "the slow query's slot back", () -> {
                try {
                    return Exposition.parse(gateway.get("/metrics").body())
                            .value("cortex_gateway_inflight_requests", "class", "read").orElse(-1.0) == 0.0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(query(gateway, token).statusCode()).isEqualTo(200);
            Exposition after = Exposition.parse(gateway.get("/metrics").body());
            assertThat(after.value("cortex_gateway_limited_requests_total", "class", "read", "limit", "inflight",
                    "tenant", "slow-dashboards")).contains(1.0);
            assertThat(after.value("cortex_gateway_inflight_requests", "class", "read")).contains(0.0);
        }
    }

    @Test
    void overridesAreReloadedWithinTenSecondsAndABrokenFileKeepsTheLastGoodOnes() throws Exception {
        Path file = dir.resolve("overrides.yaml");
        write(file, "overrides:\n  team-a:\n    write_requests_per_second: 0.01\n    write_burst: 1\n");
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.limits.overrides-file=" + file).start()) {
            String teamA = Tokens.forTenant("team-a");
            assertThat(push(gateway, teamA, "1").statusCode()).isEqualTo(200);
            assertThat(push(gateway, teamA, "2").statusCode()).isEqualTo(429);
            assertThat(push(gateway, Tokens.forTenant("team-b"), "defaults: unlimited").statusCode()).isEqualTo(200);

            write(file, "overrides:\n  team-a:\n    write_requests_per_second: 1000\n  team-b:\n    write_requests_per_second: 0.01\n    write_burst: 1\n");
            TestGateway.await(Duration.ofSeconds(10), "team-a's new limit", () -> status(gateway, teamA) == 200);
            String teamB = Tokens.forTenant("team-b");
            assertThat(push(gateway, teamB, "1").statusCode()).isEqualTo(200);
            assertThat(push(gateway, teamB, "2").statusCode()).isEqualTo(429);

            write(file, "overrides:\n  team-b:\n    write_burst: many\n");
            TestGateway.await(Duration.ofSeconds(10), "reload failure logged", () -> gateway.logs().contains("line 3: write_burst"));
            assertThat(gateway.logs()).contains("limits overrides file unusable, keeping the last good overrides");
            assertThat(push(gateway, teamB, "3").statusCode()).isEqualTo(429);
            assertThat(push(gateway, teamA, "still 1000/s").statusCode()).isEqualTo(200);
            Exposition metrics = Exposition.parse(gateway.get("/metrics").body());
            assertThat(metrics.value("cortex_gateway_limits_overrides_reload_failures_total").orElseThrow()).isGreaterThanOrEqualTo(1.0);
        }
    }

    private void write(Path file, String content) throws Exception {
        Path temp = Files.createTempFile(dir, "overrides", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int status(TestGateway gateway, String token) {
        try {
            return push(gateway, token, "probe").statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> push(TestGateway gateway, String token, String body) throws Exception {
        return gateway.send(gateway.request(PUSH).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> query(TestGateway gateway, String token) throws Exception {
        return gateway.get(QUERY + "?query=up", "Authorization", "Bearer " + token);
    }
}

package io.authgateway.gateway;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authgateway.auth.TokenDigest;
import io.authgateway.routing.Upstream;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -gateway.audit-log}: every field, nothing secret, rotation under load, write errors, a reader that never reads. */
class AuditWireTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void writesOneLineWithEveryFieldThatAppliesPerProxiedRequestAndNothingSecret() throws Exception {
        Path audit = dir.resolve("audit.log");
        Path revoked = Files.writeString(dir.resolve("revoked"), "revoked-jti\n");
        String token = Tokens.signRaw("{\"alg\":\"HS256\",\"kid\":\"key-2026\"}",
                "{\"tenant_id\":\"team-a\",\"sub\":\"prometheus-eu\",\"jti\":\"jti-42\"}");
        String revokedToken = Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"jti\":\"revoked-jti\"}"));
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.audit-log=" + audit, "-gateway.auth.revoked-tokens-file=" + revoked).start()) {
            HttpResponse<String> push = gateway.send(gateway.request("/api/v1/push?tenant=sneaky")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("0123456789")));
            assertThat(push.statusCode()).isEqualTo(200);
            gateway.get("/prometheus/api/v1/query?query=up%7Bsecret_label%3D%22x%22%7D", "Authorization", "Bearer " + token);
            gateway.get("/api/v1/push", "Authorization", "Bearer wrong.token.here");
            gateway.get("/api/v1/push", "Authorization", "Bearer " + revokedToken);
            gateway.get("/api/v1/push");
            gateway.get("/ready");
            gateway.get("/no/such/route", "Authorization", "Bearer " + token);

            List<JsonObject> lines = awaitLines(audit, 5);
            JsonObject allowed = lines.get(0);
            assertThat(allowed.keySet()).containsExactly("ts", "request_id", "client_ip", "method", "path", "route_class",
                    "upstream", "tenant", "sub", "jti", "kid", "alg", "decision", "status", "bytes_in", "bytes_out",
                    "duration_ms");
            assertThat(allowed.get("ts").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(allowed.get("request_id").getAsString()).matches("[0-9a-f]{32}");
            assertThat(string(allowed, "client_ip")).isEqualTo("127.0.0.1");
            assertThat(string(allowed, "method")).isEqualTo("POST");
            assertThat(string(allowed, "path")).isEqualTo("/api/v1/push");
            assertThat(string(allowed, "route_class")).isEqualTo("write");
            assertThat(string(allowed, "upstream")).isEqualTo(Upstream.DISTRIBUTOR.label());
            assertThat(string(allowed, "tenant")).isEqualTo("team-a");
            assertThat(string(allowed, "sub")).isEqualTo("prometheus-eu");
            assertThat(string(allowed, "jti")).isEqualTo("jti-42");
            assertThat(string(allowed, "kid")).isEqualTo("key-2026");
            assertThat(string(allowed, "alg")).isEqualTo("HS256");
            assertThat(string(allowed, "decision")).isEqualTo("allowed");
            assertThat(allowed.get("status").getAsInt()).isEqualTo(200);
            assertThat(allowed.get("bytes_in").getAsLong()).isEqualTo(10);
            assertThat(allowed.get("bytes_out").getAsLong()).isEqualTo(push.body().length());
            assertThat(allowed.get("duration_ms").getAsDouble()).isPositive();

            JsonObject query = lines.get(1);
            assertThat(string(query, "path")).isEqualTo("/prometheus/api/v1/query");
            assertThat(string(query, "route_class")).isEqualTo("read");
            assertThat(string(query, "upstream")).isEqualTo(Upstream.QUERY_FRONTEND.label());
            assertThat(query.get("request_id").getAsString()).isNotEqualTo(allowed.get("request_id").getAsString());

            JsonObject badToken = lines.get(2);
            assertThat(string(badToken, "decision")).isEqualTo("denied");
            assertThat(string(badToken, "reason")).isEqualTo("token_not_valid");
            assertThat(badToken.get("status").getAsInt()).isEqualTo(401);
            assertThat(badToken.keySet()).doesNotContain("tenant", "sub", "jti", "kid", "alg");

            JsonObject revokedLine = lines.get(3);
            assertThat(string(revokedLine, "reason")).isEqualTo("token_revoked");
            assertThat(string(revokedLine, "jti")).isEqualTo("revoked-jti");
            assertThat(revokedLine.keySet()).doesNotContain("tenant");

            assertThat(string(lines.get(4), "reason")).isEqualTo("no_token");
            Thread.sleep(300);
            assertThat(Files.readAllLines(audit)).as("/ready and unknown routes are not audited").hasSize(5);

            String everything = Files.readString(audit);
            assertThat(everything).doesNotContain(token, revokedToken, token.split("\\.")[2], Tokens.SECRET, "Bearer",
                    "wrong.token.here", "secret_label", "query=", "sneaky", "?", TokenDigest.of(token).hex());
        }
    }

    @Test
    void accessDenialsAreAuditedAsDeniedAndFederatedReadsWithTheirTenantList() throws Exception {
        Path audit = dir.resolve("access.log");
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=" + audit).start()) {
            String list = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":[\"a\",\"b\"],\"jti\":\"list-jti\"}"));
            String readOnly = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":\"a\",\"scope\":\"metrics:read\"}"));
            assertThat(gateway.get("/prometheus/api/v1/query", "Authorization", list).statusCode()).isEqualTo(200);
            assertThat(gateway.get("/prometheus/api/v1/query", "Authorization", list, "X-Scope-OrgID", "z").statusCode()).isEqualTo(403);
            assertThat(gateway.send(gateway.request("/api/v1/push").POST(HttpRequest.BodyPublishers.ofString("x"))
                    .header("Authorization", list)).statusCode()).isEqualTo(400);
            assertThat(gateway.send(gateway.request("/api/v1/push").POST(HttpRequest.BodyPublishers.ofString("x"))
                    .header("Authorization", readOnly)).statusCode()).isEqualTo(403);

            List<JsonObject> lines = awaitLines(audit, 4);
            assertThat(string(lines.get(0), "tenant")).isEqualTo("a|b");
            assertThat(string(lines.get(0), "decision")).isEqualTo("allowed");
            assertThat(string(lines.get(0), "jti")).isEqualTo("list-jti");
            String[][] denied = {{"tenant_not_allowed", "read", "403"}, {"write_needs_one_tenant", "write", "400"},
                    {"scope_missing", "write", "403"}};
            for (int i = 0; i < denied.length; i++) {
                JsonObject line = lines.get(i + 1);
                assertThat(string(line, "decision")).isEqualTo("denied");
                assertThat(string(line, "reason")).isEqualTo(denied[i][0]);
                assertThat(string(line, "route_class")).isEqualTo(denied[i][1]);
                assertThat(line.get("status").getAsInt()).isEqualTo(Integer.parseInt(denied[i][2]));
                assertThat(line.keySet()).doesNotContain("tenant");
                assertThat(string(line, "alg")).isEqualTo("HS256");
            }
        }
    }

    @Test
    void dashWritesTheLinesToStandardOutputApartFromTheLog() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             GatewayProcess process = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=-")
                     .startProcess()) {
            TestGateway.await(WAIT, "listening", () -> {
                try {
                    return process.port() > 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            java.net.URI push = java.net.URI.create("http://127.0.0.1:" + process.port() + "/api/v1/push");
            HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(push)
                    .header("Authorization", "Bearer " + Tokens.forTenant("team-out")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            TestGateway.await(WAIT, "audit line on stdout", () -> {
                try {
                    return process.stdout().contains("\"tenant\":\"team-out\"");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            String line = process.stdout().lines().filter(l -> l.contains("team-out")).findFirst().orElseThrow();
            assertThat(JsonParser.parseString(line).getAsJsonObject().get("decision").getAsString()).isEqualTo("allowed");
            assertThat(process.stderr()).contains("audit log on", "target=-").doesNotContain("team-out");
        }
    }

    @Test
    void aMovedFileIsReopenedUnderLoadWithNoLineLostOrTorn() throws Exception {
        Path audit = dir.resolve("audit.log");
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=" + audit).start()) {
            String token = Tokens.forTenant("team-a");
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> clients = startLoad(gateway, token, loading, answered, 4);
            List<Path> rotated = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                Thread.sleep(400);
                TestGateway.await(WAIT, "lines in the current file", () -> lineCount(audit) > 0);
                Path old = dir.resolve("audit.log." + i);
                Files.move(audit, old);
                rotated.add(old);
                if (i % 2 == 0) {
                    Files.createFile(audit); // logrotate's create; the other rotations leave it to the gateway
                }
            }
            Thread.sleep(400);
            // enough requests to call it load however busy the machine is, then stop
            TestGateway.await(WAIT, "200 answered requests", () -> answered.get() >= 200);
            loading.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
            TestGateway.await(WAIT, "every line written",
                    () -> metric(gateway, "cortex_gateway_audit_lines_written_total") >= answered.get());
            rotated.add(audit);
            int lines = 0;
            for (Path file : rotated) {
                List<JsonObject> parsed = parse(file);
                lines += parsed.size();
                assertThat(parsed).as(file + " was written to").isNotEmpty();
            }
            assertThat(lines).isEqualTo(answered.get());
            assertThat(gateway.logs()).contains("audit log reopened", "because=moved");
            assertThat(metric(gateway, "cortex_gateway_audit_dropped_total")).isZero();
        }
    }

    @Test
    void aTruncatedFileIsWrittenFromItsNewEndWithNoTornLine() throws Exception {
        Path audit = dir.resolve("audit.log");
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=" + audit).start()) {
            String token = Tokens.forTenant("team-a");
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> clients = startLoad(gateway, token, loading, answered, 2);
            Thread.sleep(500);
            Path copy = dir.resolve("audit.log.1");
            Files.copy(audit, copy);
            try (FileChannel channel = FileChannel.open(audit, StandardOpenOption.WRITE)) {
                channel.truncate(0); // logrotate's copytruncate
            }
            Thread.sleep(500);
            loading.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
            TestGateway.await(WAIT, "every line written",
                    () -> metric(gateway, "cortex_gateway_audit_lines_written_total") >= answered.get());
            List<JsonObject> before = parse(copy);
            List<JsonObject> after = parse(audit);
            assertThat(after).isNotEmpty();
            assertThat(before.size() + after.size()).isLessThanOrEqualTo(answered.get()).isGreaterThan(0);
            assertThat(Files.readAllBytes(audit)[0]).as("no hole of zero bytes before the new lines").isEqualTo((byte) '{');
        }
    }

    @Test
    void aFullDiskStopsNoRequestAndIsCountedAndLoggedRateLimited() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("upstream");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=/dev/full").start()) {
            String token = Tokens.forTenant("team-a");
            for (int i = 0; i < 50; i++) {
                assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            }
            TestGateway.await(WAIT, "failures counted",
                    () -> metric(gateway, "cortex_gateway_audit_write_failures_total") >= 50);
            assertThat(gateway.logs()).contains("level=error", "audit log write failed", "No space left on device");
            assertThat(gateway.logs().split("audit log write failed", -1).length - 1).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aReaderThatNeverReadsNeverBlocksARequestNorTheShutdown() throws Exception {
        Path fifo = dir.resolve("audit.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream ignored = Files.newInputStream(fifo)) {
                Thread.sleep(Long.MAX_VALUE); // opens the FIFO and never reads from it
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        RecordingUpstream upstream = new RecordingUpstream("upstream");
        TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.audit-log=" + fifo).start();
        try {
            String token = Tokens.forTenant("team-a");
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            List<Future<?>> clients = startLoad(gateway, token, loading, answered, 8);
            TestGateway.await(Duration.ofSeconds(60), "lines dropped",
                    () -> metric(gateway, "cortex_gateway_audit_dropped_total") > 0);
            int before = answered.get();
            Thread.sleep(500);
            assertThat(answered.get()).as("requests keep being answered").isGreaterThan(before);
            loading.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            long stopping = System.nanoTime();
            gateway.close();
            upstream.close();
            reader.interrupt();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Clients that push as fast as they are answered until {@code loading} turns false; each 200 is counted. */
    private static List<Future<?>> startLoad(TestGateway gateway, String token, AtomicBoolean loading,
                                             AtomicInteger answered, int clients) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(executor.submit(() -> {
                while (loading.get()) {
                    HttpResponse<String> response = gateway.send(gateway.request("/api/v1/push")
                            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("x")));
                    assertThat(response.statusCode()).isEqualTo(200);
                    answered.incrementAndGet();
                }
                return null;
            }));
        }
        executor.shutdown();
        return futures;
    }

    private static List<JsonObject> awaitLines(Path file, int count) throws Exception {
        TestGateway.await(WAIT, count + " audit lines", () -> Files.exists(file) && lineCount(file) >= count);
        return parse(file);
    }

    private static int lineCount(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every line of the file as JSON; a torn line fails to parse or lacks the last field. */
    private static List<JsonObject> parse(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content.isEmpty() || content.endsWith("\n")).as(file + " ends with a whole line").isTrue();
        List<JsonObject> lines = new ArrayList<>();
        for (String line : content.lines().toList()) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            assertThat(json.has("ts") && json.has("duration_ms")).as("whole line: " + line).isTrue();
            lines.add(json);
        }
        return lines;
    }

    private static String string(JsonObject json, String name) {
        return json.has(name) ? json.get(name).getAsString() : null;
    }

    private static double metric(TestGateway gateway, String name) {
        try {
            return Exposition.parse(gateway.get("/metrics").body()).value(name).orElse(0.0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

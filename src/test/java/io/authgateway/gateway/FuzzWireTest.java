package io.authgateway.gateway;

import io.authgateway.routing.Mode;
import io.authgateway.testing.JwksServer;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestKeys;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws 10,000 random and mutated tokens and header values at a running gateway (HS secret plus a
 * loaded JWKS) and 600 requests with raw, non-ASCII and control bytes in header values over plain
 * sockets. Every request must get an HTTP answer below 500 (no 503 here: the keys are loaded), and
 * the gateway must still serve afterwards. Then mutations of the chunked grammar in request bodies
 * and of upstream answer heads ({@link FramingMutations}): a mutation known to keep the message
 * valid must be relayed whole, one known to break it must be refused and never reach the other
 * side whole. The seed is fixed and printed so a failure can be replayed.
 */
class FuzzWireTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_240_601L);
    private static final int HTTP_CASES = 10_000;
    private static final int RAW_CASES = 600;
    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @Test
    void randomAndMutatedTokensNeverCauseA5xxOrADroppedConnection() throws Exception {
        TestKeys rsa = TestKeys.generate("fuzz-rs", "RS256");
        TestKeys ec = TestKeys.generate("fuzz-es", "ES256");
        TestKeys ed = TestKeys.generate("fuzz-ed", "EdDSA");
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             JwksServer jwks = new JwksServer(TestKeys.jwks(rsa, ec, ed));
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.auth.jwks-url=" + jwks.url(), "-gateway.auth.jwt-extra-headers=X-Api-Token",
                             "-gateway.auth.issuer=fuzz-issuer", "-gateway.auth.audience=fuzz-api",
                             "-gateway.auth.min-token-version=1", "-log.level=warn")
                     .start()) {
            TestGateway.await(Duration.ofSeconds(10), "JWKS loaded", () -> gateway.jwksCounters().orElseThrow().keys() == 3);
            upstream.respondWith((exchange, request) -> RecordingUpstream.text(exchange, 204, ""));
            Map<String, Object> claims = Map.of("tenant_id", "fuzz", "iss", "fuzz-issuer", "aud", List.of("fuzz-api"), "version", 1);
            List<String> seeds = List.of(Tokens.sign(Tokens.claims(new com.google.gson.Gson().toJson(claims))),
                    rsa.sign(claims), ec.sign(claims), ed.sign(claims));

            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    Random random = new Random(SEED + w);
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < HTTP_CASES / 8 && failures.size() < 5; i++) {
                            sendOne(gateway, random, seeds, failures, statuses);
                            sent.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            }
            Random raw = new Random(SEED);
            for (int i = 0; i < RAW_CASES && failures.size() < 5; i++) {
                sendRaw(gateway, raw, seeds, failures);
            }
            assertThat(failures).as("seed %d", SEED).isEmpty();
            assertThat(sent.get()).isEqualTo(HTTP_CASES);
            // The generator reaches every kind of answer, so the test exercises more than one path.
            assertThat(statuses).containsKeys(204, 401, 431);
            assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
            assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + seeds.get(1)).statusCode()).isEqualTo(204);
            assertThat(gateway.logs()).doesNotContain("request failed unexpectedly");
        }
    }

    @Test
    void mutatedChunkedBodiesAreRelayedWholeWhenValidAndRefusedWhenNot() throws Exception {
        Random random = new Random(SEED);
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-log.level=warn").start()) {
            upstream.respondWith((exchange, request) -> RecordingUpstream.text(exchange, 204, ""));
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < FramingMutations.CASES && failures.size() < 5; i++) {
                FramingMutations.Body body = FramingMutations.chunkedBody(random);
                upstream.clear();
                String answer = FramingMutations.exchange(gateway.port(), "POST /api/v1/push HTTP/1.1\r\nHost: gw\r\n"
                        + "Authorization: Bearer " + Tokens.forTenant("fuzz") + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + body.wire());
                RecordingUpstream.Recorded seen = wholeRequest(upstream, Duration.ofMillis(body.valid() ? 5000 : 100));
                boolean whole = seen != null;
                if (body.valid() && (!answer.startsWith("HTTP/1.1 204") || !whole || !seen.body().equals(body.payload()))) {
                    failures.add("valid " + body + " got '" + cut(answer) + "', upstream " + (seen == null ? "nothing" : seen.body()));
                } else if (!body.valid() && (answer.startsWith("HTTP/1.1 2") || answer.startsWith("HTTP/1.1 5") || whole)) {
                    failures.add("invalid " + body + " got '" + cut(answer) + "', upstream whole: " + whole);
                }
            }
            assertThat(failures).as("seed %d", SEED).isEmpty();
            assertThat(gateway.logs()).doesNotContain("request failed unexpectedly");
        }
    }

    @Test
    void mutatedAnswerHeadsAreRelayedWhenValidAndA502WhenNot() throws Exception {
        Random random = new Random(SEED);
        boolean jdkClient = "jdk".equals(System.getProperty("test.upstream.client"));
        java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>();
        try (RecordingUpstream upstream = RecordingUpstream.scripted(
                (connection, request, head, in, out) -> {
                    RecordingUpstream.write(out, head.contains("mutated") ? answer.get()
                            : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + head.lines()
                            .filter(line -> line.startsWith("X-Scope-OrgID: ")).findFirst().orElse("").substring(15));
                    return true;
                });
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags("-log.level=warn").start()) {
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < FramingMutations.CASES && failures.size() < 5; i++) {
                FramingMutations.Answer mutated = FramingMutations.answer(random);
                answer.set(mutated.wire());
                HttpResponse<String> relayed = gateway.get("/prometheus/api/v1/query?mutated", "Authorization",
                        "Bearer " + Tokens.forTenant("fuzz"));
                boolean refused = relayed.statusCode() == 502 && relayed.body().equals("Bad Gateway\n");
                if (mutated.valid() && (relayed.statusCode() != 200 || !relayed.body().equals(FramingMutations.ANSWER_BODY))) {
                    failures.add("valid " + mutated + " got " + relayed.statusCode() + " " + cut(relayed.body()));
                } else if (!mutated.valid() && !refused && !(jdkClient && relayed.statusCode() < 500)) {
                    failures.add("invalid " + mutated + " got " + relayed.statusCode() + " " + cut(relayed.body()));
                }
                String tenant = "next" + (i % 10);
                HttpResponse<String> next = gateway.get("/prometheus/api/v1/query", "Authorization", "Bearer " + Tokens.forTenant(tenant));
                if (!next.body().equals(tenant)) {
                    failures.add("after " + mutated + " the next request got '" + cut(next.body()) + "'");
                }
            }
            assertThat(failures).as("seed %d", SEED).isEmpty();
            assertThat(gateway.logs()).doesNotContain("request failed unexpectedly");
        }
    }

    /** The first request the upstream got whole within {@code wait}; aborted ones are skipped. */
    private static RecordingUpstream.Recorded wholeRequest(RecordingUpstream upstream, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            RecordingUpstream.Recorded seen = upstream.poll(Duration.ofNanos(left));
            if (seen != null && seen.bodyComplete()) {
                return seen;
            }
        }
        return null;
    }

    private static void sendOne(TestGateway gateway, Random random, List<String> seeds, ConcurrentLinkedQueue<String> failures,
                                Map<Integer, AtomicInteger> statuses) {
        HttpRequest.Builder request = gateway.request("/api/v1/push").timeout(Duration.ofSeconds(20));
        String description;
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                String token = mutate(seeds.get(random.nextInt(seeds.size())), random);
                request.header("Authorization", (random.nextBoolean() ? "Bearer " : "") + token);
                description = "mutated token " + cut(token);
            }
            case 2 -> {
                String token = randomFrom(random, B64URL + "..", random.nextInt(400));
                request.header(random.nextBoolean() ? "Authorization" : "X-Api-Token", token);
                description = "random token " + cut(token);
            }
            case 3 -> {
                String value = randomVisible(random, random.nextInt(300));
                request.header("Authorization", value).header("X-Scope-OrgID", randomVisible(random, 20));
                description = "random header value " + cut(value);
            }
            default -> {
                String value = randomVisible(random, 1 + random.nextInt(70 * 1024));
                request.header(random.nextBoolean() ? "X-Api-Token" : "X-Big", value)
                        .header("Authorization", "Bearer " + seeds.get(random.nextInt(seeds.size())));
                description = "large header of " + value.length() + " chars";
            }
        }
        try {
            HttpResponse<String> response = gateway.send(request);
            statuses.computeIfAbsent(response.statusCode(), code -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() >= 500) {
                failures.add(response.statusCode() + " for " + description);
            }
        } catch (Exception e) {
            failures.add(e + " for " + description);
        }
    }

    /** A header value with raw bytes: controls (but not CR/LF), DEL, Latin-1 and UTF-8 sequences. */
    private static void sendRaw(TestGateway gateway, Random random, List<String> seeds, ConcurrentLinkedQueue<String> failures) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        byte[] seed = seeds.get(random.nextInt(seeds.size())).getBytes(StandardCharsets.US_ASCII);
        value.write(seed, 0, random.nextInt(seed.length));
        for (int i = random.nextInt(40); i >= 0; i--) {
            int b = random.nextInt(256);
            value.write(b == '\r' || b == '\n' ? 0x80 : b);
        }
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/push HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nAuthorization: Bearer "
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(value.toByteArray());
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.1 ") || status.charAt(9) == '5') {
                failures.add("raw bytes " + Base64.getEncoder().encodeToString(value.toByteArray()) + " got '" + status + "'");
            }
        } catch (Exception e) {
            failures.add(e + " for raw bytes " + Base64.getEncoder().encodeToString(value.toByteArray()));
        }
    }

    private static String mutate(String token, Random random) {
        StringBuilder out = new StringBuilder(token);
        String[] headers = {"{\"alg\":\"none\"}", "{\"alg\":\"HS256\",\"kid\":\"fuzz-rs\"}", "{\"alg\":\"RS256\"}",
                "{\"alg\":\"ES256\",\"kid\":\"fuzz-rs\"}", "{\"alg\":\"EdDSA\",\"kid\":\"fuzz-ed\",\"crit\":[\"x\"]}",
                "{\"alg\":\"RS256\",\"kid\":\"fuzz-rs\",\"jku\":\"http://127.0.0.1:1/\"}", "{\"alg\":null}", "[]", "{",
                "{\"alg\":\"PS256\",\"kid\":\"fuzz-rs\"}", "{\"alg\":\"ES512\",\"kid\":\"fuzz-es\"}", "{\"alg\":\"HS256\",\"zip\":\"DEF\"}"};
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(8)) {
                case 0 -> { if (!out.isEmpty()) out.setCharAt(at, B64URL.charAt(random.nextInt(B64URL.length()))); }
                case 1 -> { if (!out.isEmpty()) out.deleteCharAt(at); }
                case 2 -> out.insert(at, random.nextBoolean() ? '.' : B64URL.charAt(random.nextInt(B64URL.length())));
                case 3 -> out.setLength(at);
                case 4 -> {
                    String[] parts = out.toString().split("\\.", -1);
                    String header = Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(headers[random.nextInt(headers.length)].getBytes(StandardCharsets.UTF_8));
                    out.setLength(0);
                    out.append(header).append('.').append(parts.length > 1 ? parts[1] : "").append('.')
                            .append(parts.length > 2 ? parts[2] : "");
                }
                case 5 -> out.append('.').append(out);
                case 6 -> out.append("A".repeat(random.nextInt(17 * 1024)));
                default -> {
                    out.setLength(0);
                    out.append(Tokens.signRaw("{\"alg\":\"HS256\"}", randomClaims(random)));
                }
            }
        }
        return out.toString();
    }

    /** Validly signed payloads whose claims are each absent, right, wrong or of the wrong type. */
    private static String randomClaims(Random random) {
        String[][] choices = {
                {"\"tenant_id\":\"fuzz\"", "\"tenant_id\":\"a|b\"", "\"tenant_id\":1", "\"tenant_id\":null", "\"tenant_id\":[]",
                        "\"tenant_id\":\"..\"", "\"tenant_id\":\"\\u0000\"", "\"tenant_id\":\"" + "t".repeat(200) + "\"", ""},
                {"\"aud\":\"fuzz-api\"", "\"aud\":[\"x\",\"fuzz-api\"]", "\"aud\":[1,null]", "\"aud\":null", "\"aud\":{}", ""},
                {"\"iss\":\"fuzz-issuer\"", "\"iss\":\"other\"", "\"iss\":1", "\"iss\":null", ""},
                {"\"version\":1", "\"version\":0", "\"version\":\"1\"", "\"version\":1.5", "\"version\":1e400", "\"version\":-1e400", ""},
                {"\"exp\":1e309", "\"exp\":\"x\"", "\"exp\":0", "\"exp\":" + (System.currentTimeMillis() / 1000 + 100), "\"nbf\":-1e309", ""}};
        StringBuilder payload = new StringBuilder("{");
        for (String[] claim : choices) {
            String picked = claim[random.nextInt(claim.length)];
            if (!picked.isEmpty()) {
                payload.append(payload.length() > 1 ? "," : "").append(picked);
            }
        }
        return payload.append('}').toString();
    }

    private static String randomFrom(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Characters the JDK client allows in a header value: visible ASCII, space and tab. */
    private static String randomVisible(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = 32 + random.nextInt(96);
            out.append(c == 127 ? '\t' : (char) c);
        }
        return out.toString().strip().isEmpty() ? "x" : out.toString();
    }

    private static String cut(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}

package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.routing.Mode;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy leg over real sockets: bodies, headers, statuses, failures and streaming. */
class ProxyWireTest {

    private RecordingUpstream upstream;
    private TestGateway gateway;
    private final String auth = "Bearer " + Tokens.forTenant("tenant-1");

    @BeforeEach
    void start() throws IOException {
        upstream = new RecordingUpstream("distributor");
        gateway = gatewayTo(upstream.base().toString(), "2m");
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private static TestGateway gatewayTo(String address, String timeout) throws IOException {
        return TestGateway.mimir().upstream(URI.create(address))
                .flags("-gateway.upstream.timeout=" + timeout, "-gateway.upstream.dial-timeout=2s").start();
    }

    @Test
    void streamsAChunkedRequestBodyWhole() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        HttpResponse<String> response = gateway.send(gateway.request("/api/v1/push").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(seen.bodyLength()).isEqualTo(body.length);
        assertThat(seen.bodySha256()).isEqualTo(sha256(body));
    }

    @Test
    void keepsTheContentLengthOfAFixedLengthBody() throws Exception {
        HttpResponse<String> response = gateway.send(gateway.request("/api/v1/push").header("Authorization", auth)
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofString("0123456789")));
        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.header("Content-Length")).isEqualTo("10");
        assertThat(seen.header("Content-Encoding")).isEqualTo("snappy");
        assertThat(seen.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(seen.body()).isEqualTo("0123456789");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("Host")).isEqualTo(upstream.base().getAuthority());
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gateway.port());
    }

    @Test
    void passesUpstreamErrorsThroughUnchanged() throws Exception {
        upstream.respondWith((exchange, request) -> {
            exchange.getResponseHeaders().add("Retry-After", "30");
            exchange.getResponseHeaders().add("X-Custom", "a");
            exchange.getResponseHeaders().add("X-Custom", "b");
            RecordingUpstream.text(exchange, 429, "per-tenant rate limit exceeded");
        });
        HttpResponse<String> response = gateway.send(gateway.request("/api/v1/push").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo("per-tenant rate limit exceeded");
        assertThat(response.headers().firstValue("Retry-After")).contains("30");
        assertThat(response.headers().allValues("X-Custom")).containsExactly("a", "b");
    }

    @Test
    void relaysServerErrorsAndHeadRequests() throws Exception {
        upstream.respondWith((exchange, request) -> RecordingUpstream.text(exchange, 503, "ingester down"));
        assertThat(gateway.get("/prometheus/api/v1/query?query=up", "Authorization", auth).statusCode()).isEqualTo(503);
        upstream.take();
        upstream.respondWith((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, -1);
        });
        HttpResponse<String> head = gateway.send(gateway.request("/prometheus/api/v1/labels").header("Authorization", auth)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(upstream.take().method()).isEqualTo("HEAD");
    }

    @Test
    void upstreamDownIsBadGateway() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestGateway toNowhere = gatewayTo("http://127.0.0.1:" + closedPort, "2m")) {
            HttpResponse<String> response = toNowhere.get("/api/v1/push", "Authorization", auth);
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("Bad Gateway\n");
            assertThat(toNowhere.logs()).contains("msg=\"proxy error\" target=distributor kind=connect");
        }
    }

    @Test
    void slowUpstreamIsGatewayTimeout() throws Exception {
        upstream.respondWith((exchange, request) -> {
            sleep(Duration.ofSeconds(3));
            RecordingUpstream.text(exchange, 200, "too late");
        });
        try (TestGateway impatient = gatewayTo(upstream.base().toString(), "500ms")) {
            long started = System.nanoTime();
            HttpResponse<String> response = impatient.get("/prometheus/api/v1/query_range?query=up", "Authorization", auth);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo("Gateway Timeout\n");
            assertThat(took).isLessThan(Duration.ofMillis(2500));
            assertThat(impatient.logs()).contains("kind=timeout");
        }
    }

    @Test
    void streamsAnAnswerPartByPartAsItArrives() throws Exception {
        upstream.respondWith((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            dripAnswer(exchange, List.of("data: part-0\n\n", "data: part-1\n\n", "data: part-2\n\n"), Duration.ofMillis(1500));
        });
        long started = System.nanoTime();
        HttpResponse<InputStream> response = gateway.client().send(gateway.request("/prometheus/api/v1/query_range")
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofInputStream());
        List<Long> arrivals = new ArrayList<>();
        String received = readAll(response, started, arrivals);
        assertThat(received).isEqualTo("data: part-0\n\ndata: part-1\n\ndata: part-2\n\n");
        assertThat(arrivals.getFirst()).as("first part must not wait for the rest").isLessThan(1200);
        assertThat(arrivals.getLast()).isGreaterThanOrEqualTo(2900);
    }

    @Test
    void aChunkedQueryAnswerReachesTheClientPartByPartAsItArrives() throws Exception {
        List<String> parts = List.of("{\"status\":\"success\",", "\"data\":{\"result\":[1,", "2,3]}}");
        upstream.respondWith((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            dripAnswer(exchange, parts, Duration.ofSeconds(2));
        });
        long started = System.nanoTime();
        HttpResponse<InputStream> response = gateway.client().send(gateway.request("/prometheus/api/v1/query_range?query=up")
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
        List<Long> arrivals = new ArrayList<>();
        String received = readAll(response, started, arrivals);
        assertThat(received).isEqualTo(String.join("", parts));
        assertThat(arrivals).as("one read per upstream part").hasSize(3);
        assertThat(arrivals.get(0)).as("first part at once").isLessThan(1500);
        assertThat(arrivals.get(1)).as("second part two seconds later").isBetween(1900L, 3500L);
        assertThat(arrivals.get(2)).as("third part four seconds later").isBetween(3900L, 5500L);
    }

    @Test
    void aClientThatStopsReadingIsCutAfterTheWriteTimeout() throws Exception {
        byte[] block = new byte[64 * 1024];
        upstream.respondWith((exchange, request) -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 4096; i++) { // 256 MiB unless the gateway gives up first
                out.write(block);
            }
            out.close();
        });
        try (TestGateway strict = TestGateway.mimir().upstream(upstream.base()).flags("-server.http-write-timeout=1s")
                .start();
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", strict.port()));
            socket.getOutputStream().write(("GET /prometheus/api/v1/query_range HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            long deadline = started + Duration.ofSeconds(15).toNanos();
            while (!strict.logs().contains("client write stalled") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long cutAfter = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(strict.logs()).contains("msg=\"client write stalled, closing the connection\" limit=1s");
            assertThat(cutAfter).as("cut after the 1s stall limit, not at once").isBetween(900L, 6000L);
            socket.setSoTimeout(10_000);
            long read = 0;
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                }
            } catch (java.net.SocketException reset) {
                // a reset is as good as an end of stream here
            }
            assertThat(read).as("the stream ended long before 256 MiB").isLessThan(64L * 1024 * 1024);
            assertThat(strict.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pushesAndQueriesHaveTheirOwnTimeouts() throws Exception {
        upstream.respondWith((exchange, request) -> {
            sleep(Duration.ofMillis(1500));
            RecordingUpstream.text(exchange, 200, "slow");
        });
        try (TestGateway split = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.upstream.timeout=10s", "-gateway.upstream.push-timeout=500ms").start()) {
            HttpResponse<String> push = split.send(split.request("/api/v1/push").header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(push.statusCode()).isEqualTo(504);
            assertThat(split.logs()).contains("no response headers within PT0.5S");
            HttpResponse<String> query = split.get("/prometheus/api/v1/query_range?query=up", "Authorization", auth);
            assertThat(query.statusCode()).as("queries keep -gateway.upstream.timeout").isEqualTo(200);
        }
        try (TestGateway split = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.upstream.timeout=500ms", "-gateway.upstream.query-timeout=10s").start()) {
            assertThat(split.get("/prometheus/api/v1/query_range?query=up", "Authorization", auth).statusCode()).isEqualTo(200);
            assertThat(split.send(split.request("/api/v1/push").header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(504);
        }
    }

    @Test
    void clientThatDisconnectsMidUploadCancelsTheUpstreamCall() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            Thread.sleep(300);
        }
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.bodyComplete()).as("upstream saw the upload cut off").isFalse();
        assertThat(seen.bodyLength()).isLessThan(10_000_000);
        assertThat(upstream.poll(Duration.ofMillis(300))).isNull();
        // the gateway is still healthy afterwards
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void longResponsesAreNotCutByTheWriteTimeout() throws Exception {
        try (TestGateway strict = TestGateway.mimir().upstream(upstream.base()).flags("-server.http-write-timeout=1s")
                .start()) {
            upstream.respondWith((exchange, request) -> dripAnswer(exchange,
                    List.of("chunk0;", "chunk1;", "chunk2;", "chunk3;", "chunk4;"), Duration.ofMillis(500)));
            HttpResponse<String> response = strict.get("/prometheus/api/v1/query_range?query=up", "Authorization", auth);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("chunk0;chunk1;chunk2;chunk3;chunk4;");
        }
    }

    @Test
    void anAnswerTheUpstreamBreaksOffNeverLooksCompleteToTheClient() throws Exception {
        try (RecordingUpstream dying = RecordingUpstream.scripted(
                (connection, request, head, in, out) -> {
                    RecordingUpstream.write(out,
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                    return false;
                });
             TestGateway toDying = gatewayTo(dying.base().toString(), "2m")) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> toDying.get("/prometheus/api/v1/query_range?query=up", "Authorization", auth));
            assertThat(failure).isInstanceOf(IOException.class);
            assertThat(toDying.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void missingOptionalComponentAnswers404NamingTheFlag() throws Exception {
        HttpResponse<String> response = gateway.get("/prometheus/api/v1/rules", "Authorization", auth);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("-gateway.ruler.address");
        assertThat(gateway.get("/alertmanager/api/v2/status", "Authorization", auth).body())
                .contains("-gateway.alertmanager.address");
    }

    @Test
    void pathPrefixIsRequiredAndForwardedWithThePath() throws Exception {
        try (TestGateway prefixed = TestGateway.mimir().upstream(upstream.base()).flags("-server.path-prefix=/mimir")
                .start()) {
            assertThat(prefixed.get("/mimir/api/v1/push", "Authorization", auth).statusCode()).isEqualTo(200);
            assertThat(upstream.take().rawPath()).isEqualTo("/mimir/api/v1/push");
            assertThat(prefixed.get("/api/v1/push", "Authorization", auth).statusCode()).isEqualTo(404);
            assertThat(prefixed.get("/mimir/health").statusCode()).isEqualTo(200);
            assertThat(prefixed.get("/mimirx/api/v1/push", "Authorization", auth).statusCode()).isEqualTo(404);
        }
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    /** A chunked 200 answer written part by part, each flushed, with a pause between parts. */
    private static void dripAnswer(HttpExchange exchange, List<String> parts, Duration pause) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sleep(pause);
            }
            out.write(parts.get(i).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.close();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The body as it arrives, noting the milliseconds since {@code started} at which each read returned. */
    private static String readAll(HttpResponse<InputStream> response, long started, List<Long> arrivals)
            throws IOException {
        StringBuilder received = new StringBuilder();
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[256];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                arrivals.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
        }
        return received.toString();
    }
}

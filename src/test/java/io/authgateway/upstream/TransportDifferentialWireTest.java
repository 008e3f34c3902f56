package io.authgateway.upstream;

import io.authgateway.routing.Mode;
import io.authgateway.routing.Upstream;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same randomised requests through a gateway on the JDK client and one on the socket client:
 * the upstream must see the same request and the client the same answer.
 */
class TransportDifferentialWireTest {

    private static final Set<String> FRAMING_OR_IDENTITY = Set.of("content-length", "transfer-encoding", "date",
            "x-forwarded-host");
    private static RecordingUpstream upstream;
    private static TestGateway jdk;
    private static TestGateway socket;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordingUpstream("echo");
        upstream.respondWith((exchange, request) -> {
            int status = Integer.parseInt(request.header("X-Want-Status") == null ? "200" : request.header("X-Want-Status"));
            boolean chunked = "chunked".equals(request.header("X-Want-Framing"));
            byte[] body = (request.method() + " " + request.rawPath() + "?" + request.rawQuery() + " " + request.bodyLength()
                    + " " + request.bodySha256()).repeat(1 + (int) (request.bodyLength() % 7)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Echo-Tenant", String.valueOf(request.header("X-Scope-OrgID")));
            exchange.getResponseHeaders().add("Set-Cookie", "a=1");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            boolean noBody = status == 204 || status == 304 || request.method().equals("HEAD");
            exchange.sendResponseHeaders(status, noBody ? -1 : chunked ? 0 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < body.length; i += 1000) {
                        out.write(body, i, Math.min(1000, body.length - i));
                        out.flush();
                    }
                }
            }
        });
        jdk = gateway("jdk");
        socket = gateway("socket");
    }

    private static TestGateway gateway(String client) throws IOException {
        return TestGateway.mimir().upstream(upstream.base()).upstream(Upstream.RULER, upstream.base())
                .upstream(Upstream.ALERTMANAGER, upstream.base()).flags("-gateway.upstream.client=" + client).start();
    }

    @AfterAll
    static void stop() {
        jdk.close();
        socket.close();
        upstream.close();
    }

    @Test
    void bothTransportsAreIndistinguishableOnRandomRequests() throws Exception {
        Random random = new Random(20261123);
        String[] paths = {"/api/v1/push", "/prometheus/api/v1/query", "/api/v1/rules/ns%2Fa", "/alertmanager/api/v2/silences",
                "/prometheus/api/v1/series", "/api/prom/push", "/otlp/v1/metrics"};
        String[] methods = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"};
        int[] statuses = {200, 200, 200, 201, 204, 400, 404, 429, 500, 503};
        for (int i = 0; i < 120; i++) {
            String method = methods[random.nextInt(methods.length)];
            String path = paths[random.nextInt(paths.length)];
            String query = random.nextBoolean() ? "" : "?query=" + URLEncoder.encode("sum(rate(x{a=\"" + random.nextInt()
                    + "\"}[5m]))", StandardCharsets.UTF_8) + "&n=" + i;
            byte[] body = new byte[method.equals("GET") || method.equals("HEAD") ? 0 : pickSize(random)];
            random.nextBytes(body);
            boolean chunkedRequest = random.nextBoolean();
            Map<String, String> headers = new TreeMap<>(Map.of("Authorization", "Bearer " + Tokens.forTenant("t" + random.nextInt(5)),
                    "X-Want-Status", Integer.toString(statuses[random.nextInt(statuses.length)]),
                    "X-Want-Framing", random.nextBoolean() ? "chunked" : "fixed",
                    "X-Scope-OrgID", "spoof", "X-Random-" + random.nextInt(100), Long.toHexString(random.nextLong()),
                    "Content-Type", random.nextBoolean() ? "application/x-protobuf" : "application/json"));
            Seen viaJdk = send(jdk, method, path + query, headers, body, chunkedRequest);
            Seen viaSocket = send(socket, method, path + query, headers, body, chunkedRequest);
            assertThat(viaSocket).as("request %d: %s %s (%d bytes, chunked=%s)", i, method, path + query, body.length,
                    chunkedRequest).isEqualTo(viaJdk);
        }
    }

    private record Seen(String upstreamRequest, int status, Map<String, List<String>> responseHeaders, String body) {
    }

    private static Seen send(TestGateway gateway, String method, String pathAndQuery, Map<String, String> headers,
                             byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = gateway.request(pathAndQuery).method(method, publisher);
        headers.forEach(request::header);
        HttpResponse<String> response = gateway.send(request);
        RecordingUpstream.Recorded seen = upstream.take();
        Map<String, List<String>> upstreamHeaders = new TreeMap<>(seen.headers());
        upstreamHeaders.keySet().removeAll(FRAMING_OR_IDENTITY);
        Map<String, List<String>> responseHeaders = new TreeMap<>(response.headers().map());
        responseHeaders.keySet().removeAll(FRAMING_OR_IDENTITY);
        return new Seen(seen.method() + " " + seen.rawPath() + "?" + seen.rawQuery() + " " + upstreamHeaders + " "
                + seen.bodyLength() + " " + seen.bodySha256(), response.statusCode(), responseHeaders, response.body());
    }

    private static int pickSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(100);
            case 2 -> random.nextInt(20_000);
            default -> random.nextInt(300_000);
        };
    }

}

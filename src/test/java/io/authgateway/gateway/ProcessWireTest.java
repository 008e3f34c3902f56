package io.authgateway.gateway;

import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What only a separate gateway process shows: memory bounds, signals and exit codes. */
class ProcessWireTest {

    private static final long BIG = 256L * 1024 * 1024 + 123;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void streamsQuarterGigabyteBodiesBothWaysThroughA64MegabyteHeap() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             GatewayProcess gateway = TestGateway.mimir().upstream(upstream.base()).startProcess("-Xmx64m")) {
            int gatewayPort = gateway.port();
            gateway.awaitListening(Duration.ofSeconds(20));
            MessageDigest sent = RecordingUpstream.sha256();
            HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/api/v1/push"))
                    .header("Authorization", "Bearer " + Tokens.forTenant("big"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(BIG, sent)), BIG))
                    .build();
            HttpResponse<String> response = client.send(upload, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            RecordingUpstream.Recorded seen = upstream.take();
            assertThat(seen.bodyLength()).isEqualTo(BIG);
            assertThat(seen.bodySha256()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertThat(seen.header("X-Scope-OrgID")).isEqualTo("big");

            upstream.respondWith((exchange, request) -> {
                exchange.sendResponseHeaders(200, 0);
                try (InputStream in = new PatternStream(BIG, RecordingUpstream.sha256());
                     var out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            });
            HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gatewayPort + "/prometheus/api/v1/query?query=big"))
                    .header("Authorization", "Bearer " + Tokens.forTenant("big")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest received = RecordingUpstream.sha256();
            long length = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.update(buffer, 0, n);
                    length += n;
                }
            }
            MessageDigest expected = RecordingUpstream.sha256();
            new PatternStream(BIG, expected).transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(length).isEqualTo(BIG);
            assertThat(received.digest()).isEqualTo(expected.digest());
            assertThat(gateway.process().isAlive()).isTrue();
            assertThat(gateway.stderr()).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void sigtermLetsInFlightRequestsFinishAndExitsZero() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor")) {
            upstream.respondWith((exchange, request) -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                RecordingUpstream.text(exchange, 200, "finished");
            });
            try (GatewayProcess gateway = TestGateway.loki().upstream(upstream.base())
                    .flags("-server.graceful-shutdown-timeout=10s").startProcess()) {
                int port = gateway.port();
                gateway.awaitListening(Duration.ofSeconds(20));
                CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/loki/api/v1/push"))
                                .header("Authorization", "Bearer " + Tokens.forTenant("t"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                upstream.take();
                gateway.signalTerm();
                HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("finished");
                assertThat(gateway.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
                assertThat(gateway.process().exitValue()).isZero();
                assertThat(gateway.stderr()).contains("Starting Loki Auth Gateway", "shutting down", "server stopped");
            }
        }
    }

    @Test
    void badFlagsStopStartUpWithExitOneListingEveryProblem() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("mimir", "-gateway.distributor.address=nope",
                "-server.http-listen-port=abc", "-unknown.flag=1", "-server.grpc-listen-port=9095");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains(
                "distributor address must start with a valid scheme (http/https) and name a host. Given is 'nope'",
                "invalid value \\\"abc\\\" for flag -server.http-listen-port",
                "flag provided but not defined: -unknown.flag",
                "you must set -gateway.query-frontend.address",
                "you must set -gateway.auth.jwt-secret-file, -gateway.auth.jwt-secret (or GATEWAY_AUTH_JWT_SECRET)");
    }

    @Test
    void theJdkServerIsRefusedAtStartUpSayingWhy() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("mimir", "-gateway.auth.jwt-secret=s",
                "-gateway.distributor.address=http://127.0.0.1:1", "-gateway.query-frontend.address=http://127.0.0.1:1",
                "-gateway.server=jdk");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("-gateway.server=jdk is no longer supported", "bare LF",
                "the gateway's own server is the only one");
    }

    @Test
    void helpPrintsEveryFlagAndExitsZero() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("loki", "-help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("Usage of loki-gateway:").contains("-gateway.querier.address",
                "-server.http-listen-port int", "(default 80)", "-gateway.upstream.timeout duration");
    }

    @Test
    void grpcFlagsAreIgnoredWithOneWarning() throws Exception {
        try (RecordingUpstream upstream = new RecordingUpstream("distributor")) {
            try (GatewayProcess gateway = TestGateway.mimir().upstream(upstream.base())
                    .flags("-server.grpc-listen-port=9095", "-server.grpc-max-recv-msg-size-bytes=104857600").startProcess()) {
                gateway.awaitListening(Duration.ofSeconds(20));
                String log = gateway.stderr();
                assertThat(log.lines().filter(line -> line.contains("ignoring gRPC flags"))).hasSize(1);
                assertThat(log).contains("level=warn");
            }
        }
    }

    /** A deterministic stream of {@code length} bytes, digested as it is read. */
    private static final class PatternStream extends InputStream {
        private final long length;
        private final MessageDigest digest;
        private long position;

        PatternStream(long length, MessageDigest digest) {
            this.length = length;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(count, length - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                buffer[offset + i] = (byte) (p * 31 + (p >>> 13));
            }
            digest.update(buffer, offset, n);
            position += n;
            return n;
        }
    }
}

package io.authgateway.server;

import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestPki;
import io.authgateway.testing.TlsClient;
import io.authgateway.testing.Tokens;
import io.authgateway.testing.WebSocketClient;
import io.authgateway.testing.WebSocketUpstream;
import io.authgateway.tls.CaBundle;
import io.authgateway.tls.CertifiedKey;
import io.authgateway.tls.ReloadingKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's rules hold over TLS as over plain TCP: the idle timeout, the write-stall limit,
 * graceful stop, and WebSocket tails (wss from the client, to an https querier).
 */
class TlsServerRulesTest {

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Pair server;

    private RecordingUpstream upstream;
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("rules");
        server = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
    }

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new RecordingUpstream("distributor");
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        upstream.close();
    }

    private TestGateway gateway(TestGateway.Builder builder, String... extra) throws IOException {
        TestGateway gateway = builder.flags("-server.http-tls-cert-path=" + server.certificate(),
                "-server.http-tls-key-path=" + server.key()).flags(extra).start();
        gateways.add(gateway);
        return gateway;
    }

    private static String push(String body) {
        return "POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + Tokens.forTenant("team-a")
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static boolean closedByPeer(SSLSocket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        TestGateway gateway = gateway(TestGateway.mimir().upstream(upstream.base()), "-server.http-idle-timeout=300ms");
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            assertThat(TlsClient.exchange(socket, TlsClient.get("/ready"))).startsWith("HTTP/1.1 200 ");
            long idleFrom = System.nanoTime();
            socket.setSoTimeout(5_000);
            assertThat(closedByPeer(socket)).isTrue();
            // Loose bounds: the server's idle clock starts before this one, and the machine is shared;
            // what matters is that the 300 ms timeout, not the default 120 s, closes the connection.
            assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
        }
    }

    @Test
    void headLimitsAndTheConnectionLimitHold() throws Exception {
        TestGateway gateway = gateway(TestGateway.mimir().upstream(upstream.base()), "-server.http-conn-limit=1");
        TlsClient client = TlsClient.trusting(ca.certificate(), null);
        try (SSLSocket first = client.connect(gateway.port())) {
            assertThat(TlsClient.exchange(first, TlsClient.get("/ready", "X-Big: " + "x".repeat(70 * 1024))))
                    .startsWith("HTTP/1.1 431 ");
        }
        try (SSLSocket first = client.connect(gateway.port())) {
            assertThat(TlsClient.exchange(first, TlsClient.get("/ready"))).startsWith("HTTP/1.1 200 ");
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> client.status(gateway.port(), "/ready"));
            Thread.sleep(500);
            assertThat(second).as("not served while the first connection is open").isNotDone();
            first.close();
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    @Test
    void aClientThatStopsReadingIsCutAtTheWriteTimeout() throws Exception {
        upstream.respondWith((exchange, request) -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 16 * 1024; i++) { // up to 1 GiB: far more than any socket buffers
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the gateway closed the upstream connection after cutting the client
            }
        });
        TestGateway gateway = gateway(TestGateway.mimir().upstream(upstream.base()), "-server.http-write-timeout=500ms");
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            socket.getOutputStream().write(TlsClient.get("/prometheus/api/v1/query?query=up",
                    "Authorization: Bearer " + Tokens.forTenant("team-a")).getBytes());
            socket.getOutputStream().flush();
            TestGateway.await(Duration.ofSeconds(10), "the stalled write cut",
                    () -> gateway.logs().contains("client write stalled, closing the connection"));
        }
    }

    @Test
    void stopFinishesExchangesInProgressAndClosesIdleConnections() throws Exception {
        upstream.respondWith((exchange, request) -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RecordingUpstream.text(exchange, 200, "slow");
        });
        TestGateway gateway = gateway(TestGateway.mimir().upstream(upstream.base()), "-server.graceful-shutdown-timeout=5s");
        TlsClient client = TlsClient.trusting(ca.certificate(), null);
        try (SSLSocket busy = client.connect(gateway.port()); SSLSocket idle = client.connect(gateway.port())) {
            assertThat(TlsClient.exchange(idle, TlsClient.get("/ready"))).startsWith("HTTP/1.1 200 ");
            busy.getOutputStream().write(push("in flight").getBytes());
            busy.getOutputStream().flush();
            upstream.take();
            gateways.remove(gateway);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(gateway::close);
            assertThat(closedByPeer(idle)).as("idle connection closed at once").isTrue();
            assertThat(io.authgateway.testing.RawHttp.readAnswer(busy.getInputStream())).startsWith("HTTP/1.1 200 ")
                    .contains("Connection: close").endsWith("slow");
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tailsRunOverWssToAnHttpsQuerier() throws Exception {
        SSLContext querierTls = SSLContext.getInstance("TLS");
        TestPki.Pair querierCertificate = pki.server(ca, TestPki.KeyForm.RSA_PKCS8);
        querierTls.init(new KeyManager[] {new ReloadingKeyManager(CertifiedKey.load(querierCertificate.certificate(),
                querierCertificate.key()))}, null, null);
        try (WebSocketUpstream querier = new WebSocketUpstream(querierTls)) {
            querier.greetWith("hello over TLS");
            TestGateway gateway = gateway(TestGateway.loki().upstream(upstream.base()).flags(
                    "-gateway.querier.address=" + querier.base(), "-gateway.upstream.tls-ca-path=" + ca.certificate()));
            SSLContext clientTls = SSLContext.getInstance("TLS");
            clientTls.init(null, new TrustManager[] {CaBundle.load(ca.certificate())}, null);
            HttpClient http = HttpClient.newBuilder().sslContext(clientTls).connectTimeout(Duration.ofSeconds(5)).build();
            WebSocketClient client = WebSocketClient.connect(http, URI.create("wss://localhost:" + gateway.port()
                    + "/loki/api/v1/tail?query=%7Bjob%3D%22app%22%7D"), "Authorization", "Bearer " + Tokens.forTenant("tenant-1"));
            WebSocketUpstream.Connection connection = querier.nextConnection();
            assertThat(connection.handshake().headerValues("X-Scope-OrgID")).containsExactly("tenant-1");
            assertThat(client.next()).isEqualTo(new WebSocketClient.Event.Text("hello over TLS"));
            client.sendText("from the client");
            assertThat(connection.nextFrame().text()).isEqualTo("from the client");
            assertThat(client.next()).as("the querier echoes").isEqualTo(new WebSocketClient.Event.Text("from the client"));
            String big = "x".repeat(200_000);
            connection.sendText(big);
            assertThat(client.next() instanceof WebSocketClient.Event.Text text && text.text().equals(big)).isTrue();
            assertThat(gateway.openTails()).isEqualTo(1);
        }
    }
}

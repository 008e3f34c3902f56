package io.authgateway.server;

import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestPki;
import io.authgateway.testing.TlsClient;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS on the gateway's own listener, over real TLS sockets with certificates openssl made for the
 * test: the chain and ALPN it serves, every client-auth mode against every kind of client
 * certificate, protocol and cipher limits, and a handshake that never completes.
 */
class TlsListenerTest {

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Authority otherCa;
    private static TestPki.Pair server;
    private static TestPki.Pair rightClient;
    private static TestPki.Pair otherClient;
    private static TestPki.Pair expiredClient;

    private RecordingUpstream upstream;
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("gateway-test");
        otherCa = pki.authority("other");
        server = pki.server(ca, TestPki.KeyForm.EC_SEC1);
        rightClient = pki.client(ca, "team-a", List.of());
        otherClient = pki.client(otherCa, "team-a", List.of());
        expiredClient = pki.expiredClient(ca, "team-a");
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

    private TestGateway gateway(String... extra) throws IOException {
        TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                .flags("-server.http-tls-cert-path=" + pki.chain(server, ca), "-server.http-tls-key-path=" + server.key())
                .flags(extra).start();
        gateways.add(gateway);
        return gateway;
    }

    private static String query() {
        return TlsClient.get("/prometheus/api/v1/query?query=up", "Authorization: Bearer " + Tokens.forTenant("team-a"));
    }

    @Test
    void servesTheWholeChainWithAlpnHttp11AndProxiesOverKeepAlive() throws Exception {
        TestGateway gateway = gateway();
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(socket.getSession().getPeerCertificates()).hasSize(2);
            assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[1]).getSubjectX500Principal().getName())
                    .isEqualTo("CN=gateway-test");
            for (int i = 0; i < 3; i++) {
                assertThat(TlsClient.exchange(socket, query())).startsWith("HTTP/1.1 200 ").endsWith("distributor");
            }
        }
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-a");
        assertThat(gateway.logs()).contains("tls=true");
    }

    /** Go's tls.ClientAuthType, mode by mode: which clients complete a request. */
    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "NoClientCert, none, 200", "NoClientCert, right-ca, 200", "NoClientCert, other-ca, 200", "NoClientCert, expired, 200",
            "RequestClientCert, none, 200", "RequestClientCert, right-ca, 200", "RequestClientCert, other-ca, 200",
            "RequestClientCert, expired, 200",
            "RequireAnyClientCert, none, -1", "RequireAnyClientCert, right-ca, 200", "RequireAnyClientCert, other-ca, 200",
            "RequireAnyClientCert, expired, 200",
            "VerifyClientCertIfGiven, none, 200", "VerifyClientCertIfGiven, right-ca, 200",
            "VerifyClientCertIfGiven, other-ca, -1", "VerifyClientCertIfGiven, expired, -1",
            "RequireAndVerifyClientCert, none, -1", "RequireAndVerifyClientCert, right-ca, 200",
            "RequireAndVerifyClientCert, other-ca, -1", "RequireAndVerifyClientCert, expired, -1"})
    void clientAuthModes(String mode, String certificate, int status) throws Exception {
        TestGateway gateway = gateway("-server.http-tls-client-auth=" + mode, "-server.http-tls-ca-path=" + ca.certificate());
        TestPki.Pair presented = switch (certificate) {
            case "right-ca" -> rightClient;
            case "other-ca" -> otherClient;
            case "expired" -> expiredClient;
            default -> null;
        };
        TlsClient client = TlsClient.trusting(ca.certificate(), presented);
        assertThat(client.status(gateway.port(), "/prometheus/api/v1/query?query=up",
                "Authorization: Bearer " + Tokens.forTenant("team-a"))).isEqualTo(status);
        if (status < 0) {
            TestGateway.await(Duration.ofSeconds(5), "the handshake failure logged",
                    () -> gateway.logs().contains("TLS handshake failed"));
        }
    }

    /**
     * TLS 1.3 resumption skips the certificate checks (the JDK keeps sessions for a day): a client
     * whose certificate expired since its session was made must not get in by resuming it.
     */
    @Test
    void aClientCertificateThatExpiredSinceItsSessionWasMadeIsRefused() throws Exception {
        TestGateway gateway = gateway("-server.http-tls-client-auth=RequireAndVerifyClientCert",
                "-server.http-tls-ca-path=" + ca.certificate());
        TlsClient client = TlsClient.trusting(ca.certificate(), pki.shortLivedClient(ca, "team-a", Duration.ofSeconds(4)));
        assertThat(client.status(gateway.port(), "/ready")).isEqualTo(200);
        assertThat(client.status(gateway.port(), "/ready")).as("a resumed session, still valid").isEqualTo(200);
        Thread.sleep(5_000);
        assertThat(client.status(gateway.port(), "/ready")).isEqualTo(-1);
        assertThat(gateway.logs()).contains("client certificate no longer valid");
    }

    @Test
    void refusesClientsBelowTheMinimumVersion() throws Exception {
        TestGateway gateway = gateway("-server.tls-min-version=VersionTLS13");
        TlsClient client = TlsClient.trusting(ca.certificate(), null);
        assertThat(client.protocols("TLSv1.2").status(gateway.port(), "/ready")).isEqualTo(-1);
        assertThat(client.protocols("TLSv1.3").status(gateway.port(), "/ready")).isEqualTo(200);
    }

    @Test
    void refusesTls11EvenFromAClientThatOffersNothingElse() throws Exception {
        TestGateway gateway = gateway();
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + gateway.port(),
                "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0").redirectErrorStream(true).start();
        openssl.getOutputStream().close();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).isNotZero();
        assertThat(output).doesNotContain("BEGIN CERTIFICATE").containsAnyOf("alert protocol version", "no protocols available");
    }

    @Test
    void refusesACipherSuiteOutsideTheList() throws Exception {
        TestGateway gateway = gateway("-server.tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        TlsClient client = TlsClient.trusting(ca.certificate(), null).protocols("TLSv1.2");
        assertThat(client.cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").status(gateway.port(), "/ready"))
                .isEqualTo(-1);
        assertThat(client.cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").status(gateway.port(), "/ready"))
                .isEqualTo(200);
        assertThat(TlsClient.trusting(ca.certificate(), null).protocols("TLSv1.3").status(gateway.port(), "/ready"))
                .as("TLS 1.3 suites stay on, as in Go").isEqualTo(200);
    }

    @Test
    void plainHttpSentToTheHttpsListenerIsA400ThatSaysSo() throws Exception {
        TestGateway gateway = gateway();
        try (Socket plain = new Socket("127.0.0.1", gateway.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET /ready HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(io.authgateway.testing.RawHttp.readAnswer(plain.getInputStream())).startsWith("HTTP/1.1 400 ")
                    .contains("Connection: close").endsWith("Client sent an HTTP request to an HTTPS server.\n");
        }
        assertThat(gateway.logs()).contains("reason=\"plain HTTP sent to the HTTPS listener\"");
        assertThat(TlsClient.trusting(ca.certificate(), null).status(gateway.port(), "/ready")).isEqualTo(200);
    }

    @Test
    void aHandshakeThatNeverCompletesIsCutByTheReadTimeout() throws Exception {
        TestGateway gateway = gateway("-server.http-read-timeout=1s");
        try (Socket silent = new Socket("127.0.0.1", gateway.port())) {
            silent.setSoTimeout(10_000);
            silent.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, no more
            long started = System.nanoTime();
            InputStream in = silent.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
        }
        TestGateway.await(Duration.ofSeconds(5), "the cut handshake logged",
                () -> gateway.logs().contains("no handshake within the read timeout"));
        assertThat(TlsClient.trusting(ca.certificate(), null).status(gateway.port(), "/ready")).isEqualTo(200);
    }
}

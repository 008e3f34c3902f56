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
import org.junit.jupiter.api.parallel.Isolated;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's certificate files swapped while the gateway serves: new handshakes get the new
 * pair within seconds, open connections go on, no request fails under load, and a pair that does
 * not load keeps the old one, logged and counted. Isolated: its load loops open thousands of
 * connections, whose ephemeral ports other classes running at the same time would collide with
 * (DemoCommandTest checks that the ports it freed can be bound again).
 */
@Isolated
class TlsReloadTest {

    private static final String QUERY = TlsClient.get("/prometheus/api/v1/query?query=up",
            "Authorization: Bearer " + Tokens.forTenant("team-a"));

    private static TestPki pki;
    private static TestPki.Authority ca;
    private RecordingUpstream upstream;
    private TestGateway gateway;
    private Path certificate;
    private Path key;

    @BeforeAll
    static void makeCa() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("reload");
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new RecordingUpstream("distributor");
        Path directory = Files.createTempDirectory(pki.directory(), "served");
        certificate = directory.resolve("tls.crt");
        key = directory.resolve("tls.key");
        install(pki.server(ca, TestPki.KeyForm.EC_PKCS8));
        gateway = TestGateway.mimir().upstream(upstream.base()).flags("-server.http-tls-cert-path=" + certificate,
                "-server.http-tls-key-path=" + key).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    /** Replaces the served files as a secret volume does: each file in one atomic rename. */
    private void install(TestPki.Pair pair) throws IOException {
        Path staged = Files.copy(pair.key(), key.resolveSibling("staged.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        staged = Files.copy(pair.certificate(), certificate.resolveSibling("staged.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, certificate, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static BigInteger serialOf(TestPki.Pair pair) throws Exception {
        return ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pair.certificate()))).getSerialNumber();
    }

    private BigInteger servedSerial() throws Exception {
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private String metrics() throws Exception {
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            return TlsClient.exchange(socket, TlsClient.get("/metrics"));
        }
    }

    @Test
    void newHandshakesGetTheNewPairWithinSecondsAndOpenConnectionsGoOn() throws Exception {
        TestPki.Pair next = pki.server(ca, TestPki.KeyForm.RSA_PKCS1);
        try (SSLSocket open = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            assertThat(TlsClient.exchange(open, QUERY)).startsWith("HTTP/1.1 200 ");
            install(next);
            BigInteger expected = serialOf(next);
            TestGateway.await(Duration.ofSeconds(10), "the new certificate served", () -> {
                try {
                    return servedSerial().equals(expected);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(TlsClient.exchange(open, QUERY)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(gateway.logs()).contains("TLS certificate reloaded");
        assertThat(metrics()).contains("cortex_gateway_tls_reload_failures_total{side=\"server\"} 0.0");
    }

    @Test
    void noRequestFailsWhileTheFilesAreSwappedUnderLoad() throws Exception {
        TlsClient client = TlsClient.trusting(ca.certificate(), null);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean keepAlive = i % 2 == 0;
            loops.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try (SSLSocket socket = client.connect(gateway.port())) {
                        seen.add(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber());
                        for (int n = 0; n < (keepAlive ? 20 : 1) && running.get(); n++) {
                            if (TlsClient.exchange(socket, QUERY).startsWith("HTTP/1.1 200 ")) {
                                succeeded.incrementAndGet();
                            } else {
                                synchronized (failures) {
                                    failures.add("not a 200");
                                }
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        synchronized (failures) {
                            failures.add(e.toString());
                        }
                    }
                }
            }));
        }
        List<TestPki.Pair> pairs = List.of(pki.server(ca, TestPki.KeyForm.EC_SEC1), pki.server(ca, TestPki.KeyForm.RSA_PKCS8),
                pki.server(ca, TestPki.KeyForm.EC_PKCS8));
        for (TestPki.Pair pair : pairs) {
            install(pair);
            BigInteger expected = serialOf(pair);
            TestGateway.await(Duration.ofSeconds(10), "the new certificate seen", () -> seen.contains(expected));
        }
        running.set(false);
        for (Thread loop : loops) {
            loop.join(Duration.ofSeconds(30));
        }
        assertThat(failures).isEmpty();
        assertThat(succeeded.get()).isGreaterThan(20);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aNewClientCaBundleIsTakenUpWithoutARestart() throws Exception {
        TestPki.Authority clientsBefore = pki.authority("clients-before");
        TestPki.Authority clientsAfter = pki.authority("clients-after");
        Path bundle = certificate.resolveSibling("clients.crt");
        Files.copy(clientsBefore.certificate(), bundle);
        TestGateway strict = TestGateway.mimir().upstream(upstream.base()).flags("-server.http-tls-cert-path=" + certificate,
                "-server.http-tls-key-path=" + key, "-server.http-tls-ca-path=" + bundle,
                "-server.http-tls-client-auth=RequireAndVerifyClientCert").start();
        try {
            TlsClient before = TlsClient.trusting(ca.certificate(), pki.client(clientsBefore, "agent", List.of()));
            TlsClient after = TlsClient.trusting(ca.certificate(), pki.client(clientsAfter, "agent", List.of()));
            assertThat(before.status(strict.port(), "/ready")).isEqualTo(200);
            assertThat(after.status(strict.port(), "/ready")).isEqualTo(-1);
            Path staged = Files.copy(clientsAfter.certificate(), bundle.resolveSibling("staged-ca.crt"));
            Files.move(staged, bundle, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TestGateway.await(Duration.ofSeconds(10), "the new client CA taken up",
                    () -> after.status(strict.port(), "/ready") == 200);
            assertThat(before.status(strict.port(), "/ready")).isEqualTo(-1);
            assertThat(strict.logs()).contains("TLS CA bundle reloaded");
        } finally {
            strict.close();
        }
    }

    @Test
    void aPairThatDoesNotLoadKeepsTheOldOneLoggedAndCounted() throws Exception {
        BigInteger before = servedSerial();
        TestPki.Pair other = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
        Files.copy(other.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING); // the key stays the old one
        TestGateway.await(Duration.ofSeconds(10), "the failure logged",
                () -> gateway.logs().contains("TLS reload failed, keeping the certificates in use"));
        assertThat(gateway.logs()).contains("does not match");
        assertThat(servedSerial()).isEqualTo(before);
        String metrics = metrics();
        assertThat(metrics).contains("cortex_gateway_tls_reload_failures_total{side=\"server\"} 1.0")
                .containsPattern("cortex_gateway_tls_certificate_expiry_timestamp_seconds\\{side=\"server\"} 1\\.[0-9]+E9");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        TestGateway.await(Duration.ofSeconds(10), "the second failure counted",
                () -> gateway.logs().contains("not a valid RSA, EC or EdDSA private key"));
        assertThat(servedSerial()).isEqualTo(before);
        Files.copy(other.key(), key, StandardCopyOption.REPLACE_EXISTING);
        BigInteger repaired = serialOf(other);
        TestGateway.await(Duration.ofSeconds(10), "the repaired pair served", () -> {
            try {
                return servedSerial().equals(repaired);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}

package io.authgateway.upstream;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestPki;
import io.authgateway.testing.Tokens;
import io.authgateway.tls.CaBundle;
import io.authgateway.tls.CertifiedKey;
import io.authgateway.tls.ReloadingKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS to https upstreams with the {@code -gateway.upstream.tls-*} flags, on both clients: a pinned
 * CA, a host name the certificate does not name (502) and the server name that fixes it, mTLS an
 * upstream requires, and skipping verification (warned about).
 */
class UpstreamTlsTest {

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Authority otherCa;
    private final List<HttpsServer> upstreams = new ArrayList<>();
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("upstreams");
        otherCa = pki.authority("elsewhere");
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        upstreams.forEach(server -> server.stop(0));
    }

    /** An upstream presenting {@code pair}; answers with the tenant and the client certificate's subject. */
    private URI upstream(TestPki.Pair pair, boolean requireClientCertificate) throws Exception {
        return upstream(pair, requireClientCertificate, false);
    }

    /** @param closeEach answer with {@code Connection: close}, so each request comes on a new connection */
    private URI upstream(TestPki.Pair pair, boolean requireClientCertificate, boolean closeEach) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new ReloadingKeyManager(CertifiedKey.load(pair.certificate(), pair.key()))},
                new TrustManager[] {CaBundle.load(ca.certificate())}, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setNeedClientAuth(requireClientCertificate);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                String client;
                try {
                    client = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                } catch (SSLPeerUnverifiedException e) {
                    client = "none";
                }
                byte[] body = (exchange.getRequestHeaders().getFirst("X-Scope-OrgID") + " " + client)
                        .getBytes(StandardCharsets.UTF_8);
                if (closeEach) {
                    exchange.getResponseHeaders().set("Connection", "close");
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        upstreams.add(server);
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    private HttpResponse<String> push(URI upstream, String client, String... flags) throws Exception {
        TestGateway gateway = TestGateway.mimir().upstream(upstream).flags("-gateway.upstream.client=" + client)
                .flags(flags).start();
        gateways.add(gateway);
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/api/v1/push"))
                .header("Authorization", "Bearer " + Tokens.forTenant("team-a"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    }

    private TestGateway last() {
        return gateways.getLast();
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void trustsUpstreamsSignedByThePinnedCa(String client) throws Exception {
        URI upstream = upstream(pki.server(ca, TestPki.KeyForm.EC_PKCS8), false);
        HttpResponse<String> answer = push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("team-a none");
        HttpResponse<String> untrusted = push(upstream, client, "-gateway.upstream.tls-ca-path=" + otherCa.certificate());
        assertThat(untrusted.statusCode()).isEqualTo(502);
        assertThat(last().logs()).contains("kind=connect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void aHostNameTheCertificateDoesNotNameIsABadGatewayUnlessTheServerNameIsSet(String client) throws Exception {
        URI upstream = upstream(pki.leaf(ca, "mimir", List.of("DNS:mimir.internal"), 30, TestPki.KeyForm.EC_PKCS8), false);
        HttpResponse<String> wrongName = push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate());
        assertThat(wrongName.statusCode()).isEqualTo(502);
        assertThat(wrongName.body()).isEqualTo("Bad Gateway\n");
        HttpResponse<String> named = push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate(),
                "-gateway.upstream.tls-server-name=mimir.internal");
        assertThat(named.statusCode()).isEqualTo(200);
        HttpResponse<String> otherName = push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate(),
                "-gateway.upstream.tls-server-name=loki.internal");
        assertThat(otherName.statusCode()).isEqualTo(502);
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void presentsTheClientCertificateAnUpstreamRequires(String client) throws Exception {
        URI upstream = upstream(pki.server(ca, TestPki.KeyForm.RSA_PKCS1), true);
        assertThat(push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate()).statusCode()).isEqualTo(502);
        TestPki.Pair gatewayCertificate = pki.client(ca, "auth-gateway", List.of());
        HttpResponse<String> answer = push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate(),
                "-gateway.upstream.tls-cert-path=" + gatewayCertificate.certificate(),
                "-gateway.upstream.tls-key-path=" + gatewayCertificate.key());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("team-a CN=auth-gateway");
    }

    /** Resumed sessions carry the old certificate: they are swept from the cache (see ClientSessions). */
    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void aNewClientCertificateIsPresentedOnNewConnectionsWithoutARestart(String client) throws Exception {
        URI upstream = upstream(pki.server(ca, TestPki.KeyForm.EC_PKCS8), true, true);
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory(pki.directory(), "client");
        java.nio.file.Path certificate = directory.resolve("tls.crt");
        java.nio.file.Path key = directory.resolve("tls.key");
        TestPki.Pair first = pki.client(ca, "gateway-2026", List.of());
        java.nio.file.Files.copy(first.certificate(), certificate);
        java.nio.file.Files.copy(first.key(), key);
        assertThat(push(upstream, client, "-gateway.upstream.tls-ca-path=" + ca.certificate(),
                "-gateway.upstream.tls-cert-path=" + certificate, "-gateway.upstream.tls-key-path=" + key).body())
                .isEqualTo("team-a CN=gateway-2026");
        TestPki.Pair next = pki.client(ca, "gateway-2027", List.of());
        java.nio.file.Path staged = java.nio.file.Files.copy(next.key(), directory.resolve("staged.key"));
        java.nio.file.Files.move(staged, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        staged = java.nio.file.Files.copy(next.certificate(), directory.resolve("staged.crt"));
        java.nio.file.Files.move(staged, certificate, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TestGateway gateway = last();
        TestGateway.await(java.time.Duration.ofSeconds(15), "the new client certificate presented", () -> {
            try {
                return gateway.send(HttpRequest.newBuilder(gateway.uri("/api/v1/push"))
                        .header("Authorization", "Bearer " + Tokens.forTenant("team-a"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))).body().equals("team-a CN=gateway-2027");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(gateway.logs()).contains("TLS certificate reloaded").contains("side=upstream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void skippingVerificationTrustsAnyCertificateAndWarns(String client) throws Exception {
        URI upstream = upstream(pki.leaf(otherCa, "x", List.of("DNS:x.example"), 30, TestPki.KeyForm.EC_SEC1), false);
        HttpResponse<String> answer = push(upstream, client, "-gateway.upstream.tls-insecure-skip-verify");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(last().logs()).contains("level=warn").contains("-gateway.upstream.tls-insecure-skip-verify is set");
    }
}

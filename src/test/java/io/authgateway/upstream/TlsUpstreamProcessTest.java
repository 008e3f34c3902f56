package io.authgateway.upstream;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.TestCertificates;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS upstreams, on both clients, in a gateway process whose trust store holds the test's own
 * certificates (EC and RSA): requests reach the upstream with the tenant, over pooled TLS
 * connections on the socket client; an upstream whose certificate is not trusted is a 502.
 */
class TlsUpstreamProcessTest {

    private static TestCertificates certificates;
    private static HttpsServer ec;
    private static HttpsServer rsa;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create();
        ec = upstream("ec");
        rsa = upstream("rsa");
    }

    @AfterAll
    static void stop() {
        ec.stop(0);
        rsa.stop(0);
    }

    /** Answers with the name of its key and the tenant it got. */
    private static HttpsServer upstream(String alias) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext(alias)));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                byte[] body = (alias + " " + exchange.getRequestHeaders().getFirst("X-Scope-OrgID")).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return server;
    }

    private static URI base(HttpsServer server) {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    private static HttpResponse<String> send(GatewayProcess gateway, String path, String tenant) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Authorization", "Bearer " + Tokens.forTenant(tenant))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void proxiesToHttpsUpstreamsWithEcAndRsaCertificates(String client) throws Exception {
        List<String> options = certificates.trustOptions();
        try (GatewayProcess gateway = TestGateway.mimir()
                .upstream(io.authgateway.routing.Upstream.DISTRIBUTOR, base(ec))
                .upstream(io.authgateway.routing.Upstream.QUERY_FRONTEND, base(rsa))
                .flags("-gateway.upstream.client=" + client).startProcess(options.toArray(String[]::new))) {
            gateway.awaitListening(Duration.ofSeconds(20));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> push = send(gateway, "/api/v1/push", "tenant-" + i);
                assertThat(push.statusCode()).isEqualTo(200);
                assertThat(push.body()).isEqualTo("ec tenant-" + i);
                HttpResponse<String> query = send(gateway, "/prometheus/api/v1/query", "other-" + i);
                assertThat(query.body()).isEqualTo("rsa other-" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "jdk"})
    void anUpstreamWhoseCertificateIsNotTrustedIsABadGateway(String client) throws Exception {
        try (GatewayProcess gateway = TestGateway.mimir().upstream(base(ec))
                .flags("-gateway.upstream.client=" + client).startProcess()) {
            gateway.awaitListening(Duration.ofSeconds(20));
            HttpResponse<String> push = send(gateway, "/api/v1/push", "t");
            assertThat(push.statusCode()).isEqualTo(502);
            assertThat(push.body()).isEqualTo("Bad Gateway\n");
            assertThat(gateway.stderr()).contains("kind=connect");
        }
    }
}

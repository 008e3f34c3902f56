package io.authgateway.gateway;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client certificates as credentials on the HTTPS listener: the tenant comes from the verified
 * certificate's CN, DNS names or URI names and no token is needed; connections without a
 * certificate go through token authentication on the same gateway.
 */
class ClientCertificateAuthTest {

    private static final String QUERY = "/prometheus/api/v1/query?query=up";
    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Pair server;

    private RecordingUpstream upstream;
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("agents");
        server = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
    }

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new RecordingUpstream("querier");
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        upstream.close();
    }

    private TestGateway gateway(String field) throws IOException {
        TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags(
                "-server.http-tls-cert-path=" + server.certificate(), "-server.http-tls-key-path=" + server.key(),
                "-server.http-tls-ca-path=" + ca.certificate(), "-server.http-tls-client-auth=VerifyClientCertIfGiven",
                "-gateway.auth.client-cert-tenant=" + field).start();
        gateways.add(gateway);
        return gateway;
    }

    private static String answer(TestGateway gateway, TestPki.Pair certificate, String... headers) throws Exception {
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), certificate).connect(gateway.port())) {
            return TlsClient.exchange(socket, TlsClient.get(QUERY, headers));
        }
    }

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = ';', value = {
            "cn ; team-a ;  ; team-a",
            "san-dns ; ignored-cn ; DNS:team-b ; team-b",
            "san-dns ; ignored-cn ; DNS:LONG,DNS:team-b,DNS:team-c ; team-b|team-c",
            "san-uri ; ignored-cn ; URI:spiffe://example.org/ns/prod/sa/team-c ; team-c",
            "san-uri ; ignored-cn ; URI:spiffe://example.org/ns/,URI:https://agents.example/tenants/t-4 ; t-4"})
    void theTenantComesFromTheVerifiedCertificateAndNoTokenIsNeeded(String field, String commonName, String names,
                                                                    String tenant) throws Exception {
        TestGateway gateway = gateway(field);
        List<String> alternativeNames = names == null ? List.of()
                : Arrays.stream(names.split(",")).map(name -> name.equals("DNS:LONG") ? "DNS:" + "a.".repeat(80) + "a" : name).toList();
        TestPki.Pair client = pki.client(ca, commonName, alternativeNames);
        assertThat(answer(gateway, client)).startsWith("HTTP/1.1 200 ");
        RecordingUpstream.Recorded recorded = upstream.take();
        assertThat(recorded.header("X-Scope-OrgID")).isEqualTo(tenant);
        assertThat(gateway.logs()).contains("authenticated by client certificate").contains("org_id=" + tenant)
                .contains("cert_subject=\"CN=" + commonName + "\"").contains("cert_serial=");
    }

    @Test
    void severalCertificateTenantsAreATenantListWithItsRules() throws Exception {
        TestGateway gateway = gateway("san-dns");
        TestPki.Pair client = pki.client(ca, "agent", List.of("DNS:team-b", "DNS:team-c", "DNS:team-b"));
        assertThat(answer(gateway, client, "X-Scope-OrgID: team-c")).startsWith("HTTP/1.1 200 ");
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-c");
        assertThat(answer(gateway, client, "X-Scope-OrgID: team-x")).startsWith("HTTP/1.1 403 ").endsWith("Tenant not allowed\n");
        try (SSLSocket socket = TlsClient.trusting(ca.certificate(), client).connect(gateway.port())) {
            String push = "POST /api/v1/push HTTP/1.1\r\nHost: gateway\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx";
            assertThat(TlsClient.exchange(socket, push)).startsWith("HTTP/1.1 400 ").endsWith("Choose one tenant for writes\n");
        }
        assertThat(upstream.received()).isZero();
    }

    @Test
    void aCertificateCarriesEveryScopeSoRequiredScopesDoNotRefuseIt() throws Exception {
        TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags(
                "-server.http-tls-cert-path=" + server.certificate(), "-server.http-tls-key-path=" + server.key(),
                "-server.http-tls-ca-path=" + ca.certificate(), "-server.http-tls-client-auth=VerifyClientCertIfGiven",
                "-gateway.auth.client-cert-tenant=cn", "-gateway.auth.require-scopes=true").start();
        gateways.add(gateway);
        assertThat(answer(gateway, pki.client(ca, "team-a", List.of()))).startsWith("HTTP/1.1 200 ");
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-a");
        assertThat(answer(gateway, null, "Authorization: Bearer " + Tokens.forTenant("team-a")))
                .startsWith("HTTP/1.1 403 ").contains("Forbidden: token lacks scope metrics:read");
    }

    @Test
    void theCertificateWinsOverATokenAndTheTokenDoesNotGoUpstream() throws Exception {
        TestGateway gateway = gateway("cn");
        TestPki.Pair client = pki.client(ca, "team-a", List.of());
        assertThat(answer(gateway, client, "Authorization: Bearer " + Tokens.forTenant("team-z"))).startsWith("HTTP/1.1 200 ");
        RecordingUpstream.Recorded recorded = upstream.take();
        assertThat(recorded.header("X-Scope-OrgID")).isEqualTo("team-a");
        assertThat(recorded.header("Authorization")).isNull();
    }

    @Test
    void connectionsWithoutACertificateUseTokensOnTheSameGateway() throws Exception {
        TestGateway gateway = gateway("cn");
        assertThat(answer(gateway, null, "Authorization: Bearer " + Tokens.forTenant("grafana-team")))
                .startsWith("HTTP/1.1 200 ");
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("grafana-team");
        assertThat(answer(gateway, null)).startsWith("HTTP/1.1 401 ").contains("No bearer token provided");
    }

    @Test
    void aCertificateWithoutAValidTenantIsRefusedAndLoggedWithSubjectAndSerial() throws Exception {
        TestGateway gateway = gateway("cn");
        TestPki.Pair client = pki.client(ca, "team a|b", List.of());
        assertThat(answer(gateway, client, "Authorization: Bearer " + Tokens.forTenant("team-a")))
                .startsWith("HTTP/1.1 401 ").endsWith("Invalid Tenant ID\n");
        assertThat(upstream.received()).isZero();
        assertThat(gateway.logs()).contains("client certificate names no valid tenant id")
                .contains("reason=certificate_tenant_not_valid").contains("team a|b").contains("serial=");
    }
}

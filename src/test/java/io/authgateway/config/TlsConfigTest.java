package io.authgateway.config;

import io.authgateway.routing.Mode;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.TestPki;
import io.authgateway.tls.ClientAuth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The TLS flags at start-up: what loads, and every problem named by its flag. */
class TlsConfigTest {

    private static final List<String> MINIMAL = List.of("-gateway.distributor.address=http://distributor:8080",
            "-gateway.query-frontend.address=http://query-frontend:8080", "-gateway.auth.jwt-secret=s3cret");

    private static TestPki pki;
    private static TestPki.Authority ca;
    private static TestPki.Pair server;
    private static TestPki.Pair other;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create();
        ca = pki.authority("config");
        server = pki.server(ca, TestPki.KeyForm.RSA_PKCS1);
        other = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
    }

    private static LoadResult load(String... flags) {
        List<String> args = new ArrayList<>(MINIMAL);
        args.addAll(List.of(flags));
        return new ConfigLoader(Mode.MIMIR).load(args);
    }

    private static List<String> problems(String... flags) {
        return ((LoadResult.Invalid) load(flags)).problems();
    }

    private static String cert() {
        return "-server.http-tls-cert-path=" + server.certificate();
    }

    private static String key() {
        return "-server.http-tls-key-path=" + server.key();
    }

    @Test
    void noCertificateMeansPlainHttpAndTheDefaultsAreGos() {
        GatewayConfig plain = ((LoadResult.Loaded) load()).config();
        assertThat(plain.server().tls()).isEmpty();
        ListenerTlsSettings tls = ((LoadResult.Loaded) load(cert(), key())).config().server().tls().orElseThrow();
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.NO_CLIENT_CERT);
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.cipherSuites()).isEmpty();
        assertThat(tls.clientCertTenant()).isEqualTo(ClientCertTenant.OFF);
    }

    @Test
    void cipherSuitesTakeGoNamesAndKeepTls13On() {
        ListenerTlsSettings tls = ((LoadResult.Loaded) load(cert(), key(),
                "-server.tls-cipher-suites=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .config().server().tls().orElseThrow();
        assertThat(tls.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void everyBadSettingIsAProblemNamingItsFlag() throws Exception {
        Path garbage = Files.writeString(pki.directory().resolve("garbage.pem"), "not pem");
        assertThat(problems("-server.http-tls-cert-path=/nonexistent/cert.pem", key()))
                .singleElement().asString().contains("-server.http-tls-cert-path").contains("cannot read");
        assertThat(problems(cert(), "-server.http-tls-key-path=" + garbage))
                .singleElement().asString().contains("-server.http-tls-key-path").contains("no PEM private key");
        assertThat(problems(cert(), "-server.http-tls-key-path=" + other.key()))
                .singleElement().asString().contains("-server.http-tls-key-path").contains("does not match");
        assertThat(problems(cert())).singleElement().asString().contains("set -server.http-tls-key-path");
        assertThat(problems(cert(), key(), "-server.http-tls-client-auth=RequireAndVerifyClientCert"))
                .containsExactly("-server.http-tls-client-auth=RequireAndVerifyClientCert verifies client certificates:"
                        + " set -server.http-tls-ca-path to the PEM bundle of their CAs");
        assertThat(problems(cert(), key(), "-server.http-tls-client-auth=VerifyClientCert"))
                .singleElement().asString().startsWith("invalid value \"VerifyClientCert\" for flag -server.http-tls-client-auth");
        assertThat(problems(cert(), key(), "-server.http-tls-ca-path=" + garbage))
                .singleElement().asString().contains("-server.http-tls-ca-path").contains("no PEM CERTIFICATE");
        assertThat(problems(cert(), key(), "-server.tls-min-version=VersionTLS11"))
                .containsExactly("invalid value \"VersionTLS11\" for flag -server.tls-min-version: TLS 1.0 and 1.1 are"
                        + " refused, use VersionTLS12 or VersionTLS13");
        assertThat(problems(cert(), key(), "-server.tls-cipher-suites=TLS_RSA_WITH_RC4_128_MD5X"))
                .singleElement().asString().contains("-server.tls-cipher-suites").contains("TLS_RSA_WITH_RC4_128_MD5X");
        assertThat(problems("-server.http-tls-client-auth=RequireAndVerifyClientCert"))
                .singleElement().asString().contains("needs TLS on the listener");
    }

    @Test
    void aCertificateTenantNeedsAModeThatVerifies() {
        assertThat(problems(cert(), key(), "-gateway.auth.client-cert-tenant=cn",
                "-server.http-tls-client-auth=RequireAnyClientCert")).singleElement().asString()
                .contains("an unverified certificate is never a credential");
        assertThat(problems(cert(), key(), "-gateway.auth.client-cert-tenant=subject")).singleElement().asString()
                .contains("expected cn, san-dns, san-uri or off");
        assertThat(load(cert(), key(), "-gateway.auth.client-cert-tenant=san-uri", "-server.http-tls-ca-path=" + ca.certificate(),
                "-server.http-tls-client-auth=VerifyClientCertIfGiven")).isInstanceOf(LoadResult.Loaded.class);
    }

    @Test
    void upstreamTlsFilesAreCheckedToo() {
        assertThat(problems("-gateway.upstream.tls-cert-path=" + server.certificate(),
                "-gateway.upstream.tls-key-path=" + other.key())).singleElement().asString()
                .contains("-gateway.upstream.tls-key-path").contains("does not match");
        UpstreamTlsSettings tls = ((LoadResult.Loaded) load("-gateway.upstream.tls-ca-path=" + ca.certificate(),
                "-gateway.upstream.tls-server-name=mimir.internal", "-gateway.upstream.tls-insecure-skip-verify"))
                .config().upstreams().tls();
        assertThat(tls.serverName()).contains("mimir.internal");
        assertThat(tls.insecureSkipVerify()).isTrue();
    }

    @Test
    void aBadKeyStopsTheProcessWithExitCodeOneNamingTheFlag() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("mimir", "-gateway.distributor.address=http://d:1",
                "-gateway.query-frontend.address=http://q:1", "-gateway.auth.jwt-secret=s", cert(),
                "-server.http-tls-key-path=" + other.key());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("-server.http-tls-key-path").contains("does not match");
    }
}

package io.authgateway.config;

import java.util.List;

import static io.authgateway.config.FlagKind.BOOL;
import static io.authgateway.config.FlagKind.STRING;

/** The TLS flags: the listener's with dskit's (Mimir's, Loki's) names and defaults, the upstream client's. */
public final class TlsFlags {

    public static final String CERT = "server.http-tls-cert-path";
    public static final String KEY = "server.http-tls-key-path";
    public static final String CA = "server.http-tls-ca-path";
    public static final String CLIENT_AUTH = "server.http-tls-client-auth";
    public static final String MIN_VERSION = "server.tls-min-version";
    public static final String CIPHER_SUITES = "server.tls-cipher-suites";
    public static final String CLIENT_CERT_TENANT = "gateway.auth.client-cert-tenant";
    public static final String UPSTREAM_CA = "gateway.upstream.tls-ca-path";
    public static final String UPSTREAM_CERT = "gateway.upstream.tls-cert-path";
    public static final String UPSTREAM_KEY = "gateway.upstream.tls-key-path";
    public static final String UPSTREAM_SERVER_NAME = "gateway.upstream.tls-server-name";
    public static final String UPSTREAM_SKIP_VERIFY = "gateway.upstream.tls-insecure-skip-verify";

    private TlsFlags() {
    }

    public static List<FlagSpec> listener() {
        return List.of(
                FlagSpec.of(CERT, STRING, "", "PEM certificate (a chain is served whole) for HTTPS on the listener; re-read within 10s when it changes"),
                FlagSpec.of(KEY, STRING, "", "PEM private key of the certificate: PKCS#8, PKCS#1 RSA or SEC1 EC"),
                FlagSpec.of(CA, STRING, "", "PEM bundle of the CAs client certificates are verified against"),
                FlagSpec.of(CLIENT_AUTH, STRING, "NoClientCert", "Client certificates: NoClientCert, RequestClientCert,"
                        + " RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert"),
                FlagSpec.of(MIN_VERSION, STRING, "VersionTLS12", "Lowest TLS version accepted: VersionTLS12 or VersionTLS13"),
                FlagSpec.of(CIPHER_SUITES, STRING, "", "Comma-separated TLS 1.2 cipher suites (IANA or Go names); empty: the Java defaults"),
                FlagSpec.of(CLIENT_CERT_TENANT, STRING, "off", "Take the tenant of a request from its connection's verified client"
                        + " certificate: cn, san-dns, san-uri (last path segment) or off; such requests need no token"));
    }

    public static List<FlagSpec> upstream() {
        return List.of(
                FlagSpec.of(UPSTREAM_CA, STRING, "", "PEM CA bundle for https upstreams (default: the Java trust store)"),
                FlagSpec.of(UPSTREAM_CERT, STRING, "", "PEM client certificate for https upstreams that require mTLS"),
                FlagSpec.of(UPSTREAM_KEY, STRING, "", "PEM private key of -" + UPSTREAM_CERT),
                FlagSpec.of(UPSTREAM_SERVER_NAME, STRING, "", "Server name sent to and verified against https upstreams instead of the URL's host"),
                FlagSpec.of(UPSTREAM_SKIP_VERIFY, BOOL, "false", "Skip verifying https upstreams' certificates and names (insecure; logged hourly)"));
    }
}

package io.authgateway.config;

import io.authgateway.tls.ClientAuth;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * TLS on the listener ({@code -server.http-tls-*}, {@code -server.tls-*}), present when a
 * certificate is configured. The files were read and checked once at start-up.
 *
 * @param certificate      PEM certificate, a chain is served whole ({@code -server.http-tls-cert-path})
 * @param key              its PEM private key ({@code -server.http-tls-key-path})
 * @param ca               PEM bundle of client CAs ({@code -server.http-tls-ca-path}); present whenever
 *                         {@code clientAuth} verifies
 * @param clientAuth       {@code -server.http-tls-client-auth}, default {@code NoClientCert}
 * @param protocols        the JSSE protocol names enabled ({@code -server.tls-min-version}, default TLS 1.2 and up)
 * @param cipherSuites     the cipher suites enabled, empty for the JDK's defaults ({@code -server.tls-cipher-suites};
 *                         the TLS 1.3 suites stay on unless the list names some, as in Go)
 * @param clientCertTenant where a verified client certificate's tenant comes from ({@code -gateway.auth.client-cert-tenant})
 */
public record ListenerTlsSettings(Path certificate, Path key, Optional<Path> ca, ClientAuth clientAuth,
                                  List<String> protocols, List<String> cipherSuites, ClientCertTenant clientCertTenant) {

    public ListenerTlsSettings {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }
}

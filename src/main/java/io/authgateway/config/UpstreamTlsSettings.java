package io.authgateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS to {@code https} upstreams ({@code -gateway.upstream.tls-*}), for both clients.
 *
 * @param ca                 PEM CA bundle the upstreams' certificates must chain to; empty: the JDK's trust store
 * @param certificate        PEM client certificate for upstreams that require mTLS, with {@code key}
 * @param key                its PEM private key
 * @param serverName         the name sent as SNI and verified in the upstream's certificate instead of the URL's host
 * @param insecureSkipVerify verify nothing, neither chain nor name (logged as a warning at start-up and hourly)
 */
public record UpstreamTlsSettings(Optional<Path> ca, Optional<Path> certificate, Optional<Path> key,
                                  Optional<String> serverName, boolean insecureSkipVerify) {

    public static final UpstreamTlsSettings DEFAULT = new UpstreamTlsSettings(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), false);
}

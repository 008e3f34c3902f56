package io.authgateway.upstream;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An upstream as scheme, host name and port: the key of the connection pool. The name is resolved
 * each time a new connection is opened (through the JVM's DNS cache), never pinned, so an upstream
 * whose address changes (a headless or recreated Service) is found again.
 *
 * @param tls whether connections to it are TLS ({@code https})
 */
record UpstreamAddress(String host, int port, boolean tls) {

    static UpstreamAddress of(URI target) {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        return new UpstreamAddress(target.getHost(), target.getPort() >= 0 ? target.getPort() : tls ? 443 : 80, tls);
    }

    /** Resolves now; an unknown host gives an unresolved address, which the connect reports. */
    InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }
}

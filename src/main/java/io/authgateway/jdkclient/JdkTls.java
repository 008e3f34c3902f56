package io.authgateway.jdkclient;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Collection;

/**
 * Chooses the TLS context of the upstream client. The JDK default context reads and parses the
 * whole CA bundle when it is created, the largest single cost of start-up (about 100 ms, and
 * some 200 classes that would otherwise sit in the CDS archive). A gateway whose upstreams are all
 * plain HTTP never makes a TLS connection (redirects are not followed), so it gets a context with
 * no trust anchors instead: should TLS ever be attempted with it, the handshake fails.
 */
final class JdkTls {

    private JdkTls() {
    }

    static SSLContext contextFor(Collection<URI> upstreams) {
        try {
            if (upstreams.stream().anyMatch(JdkTls::isHttps)) {
                return SSLContext.getDefault();
            }
            SSLContext trustsNothing = SSLContext.getInstance("TLS");
            trustsNothing.init(new KeyManager[0], new TrustManager[0], null);
            return trustsNothing;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no usable TLS implementation", e);
        }
    }

    static boolean isHttps(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme());
    }
}

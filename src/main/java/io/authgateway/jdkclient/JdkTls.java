package io.authgateway.jdkclient;

import io.authgateway.upstream.UpstreamTls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
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

    /**
     * The gateway's upstream TLS on java.net.http. The client always names the URL's host in SNI
     * and checks it unless the trust manager is an extended one of the gateway's own (a pinned server
     * name, or no verification): those do their own check or none. A pinned server name goes into SNI
     * only for upstreams addressed by IP, where the client has no host name of its own to send.
     */
    static void configure(HttpClient.Builder builder, UpstreamTls tls) {
        builder.sslContext(tls.context());
        tls.serverName().ifPresent(name -> {
            SSLParameters parameters = tls.context().getDefaultSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            builder.sslParameters(parameters);
        });
    }

    static boolean isHttps(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme());
    }
}

package io.authgateway.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;

/**
 * Accepts any certificate, checking nothing, not even the host name (being an extended trust
 * manager, JSSE does not add its own check on top). Used in exactly two places, both chosen by an
 * operator: the listener's {@code RequestClientCert} and {@code RequireAnyClientCert} modes (Go
 * asks for a certificate there but never verifies it, so it is never a credential), and
 * {@code -gateway.upstream.tls-insecure-skip-verify}.
 */
public final class TrustingAnyPeer extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    /** None: a client asked for a certificate may then send any it has. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}

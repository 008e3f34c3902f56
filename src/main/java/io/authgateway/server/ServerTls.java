package io.authgateway.server;

import io.authgateway.tls.ClientAuth;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * HTTPS on the listener: the context (whose certificate may be swapped under it), the client-auth
 * mode, protocols and cipher suites. Each accepted socket gets TLS layered on it, server side, with
 * ALPN offering {@code http/1.1} only: a client that offers ALPN without it (h2 only) is refused
 * in the handshake rather than answered in a protocol it did not ask for.
 *
 * <p>Not {@code HttpsServer} with an {@code HttpsConfigurator}: the configurator sees only
 * {@code SSLParameters}, while the gateway needs the mode's meaning afterwards (whether a
 * certificate was verified, so that it may stand for a tenant).
 *
 * @param context      the context for each new connection (renewed when the client CA bundle changes)
 * @param cipherSuites empty: the JDK's defaults
 */
public record ServerTls(Supplier<SSLContext> context, ClientAuth clientAuth, List<String> protocols,
                        List<String> cipherSuites) {

    private static final String[] HTTP_1_1 = {"http/1.1"};
    /** The content type of a TLS handshake record, the first byte of every ClientHello. */
    private static final int HANDSHAKE_RECORD = 0x16;

    public ServerTls {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** A connection whose handshake completed, and the client certificate it verified, if any. */
    record Started(SSLSocket socket, Optional<X509Certificate> clientCertificate) {
    }

    /**
     * Reads the client's first byte and, if it starts a TLS handshake record, completes the
     * handshake on TLS layered over {@code accepted}; null if it does not (most likely a plain
     * HTTP request, which Go answers with a 400 rather than a TLS alert the client cannot read).
     */
    Started start(Socket accepted) throws IOException {
        int first = accepted.getInputStream().read();
        if (first < 0) {
            throw new EOFException("closed before the handshake");
        }
        if (first != HANDSHAKE_RECORD) {
            return null;
        }
        SSLSocket socket = layer(accepted, new ByteArrayInputStream(new byte[] {(byte) first}));
        socket.startHandshake();
        return new Started(socket, verifiedClientCertificate(socket));
    }

    /** TLS on an accepted socket, which already gave the bytes {@code consumed}. */
    private SSLSocket layer(Socket accepted, InputStream consumed) throws IOException {
        SSLSocket socket = (SSLSocket) context.get().getSocketFactory().createSocket(accepted, consumed, true);
        socket.setUseClientMode(false);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        parameters.setUseCipherSuitesOrder(true);
        parameters.setApplicationProtocols(HTTP_1_1);
        if (clientAuth.requires()) {
            parameters.setNeedClientAuth(true);
        } else if (clientAuth.requests()) {
            parameters.setWantClientAuth(true);
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /**
     * The client's leaf certificate if the mode verified it against the CA bundle; never an
     * unverified one. A resumed TLS 1.3 session skips the checks of a full handshake, so a chain
     * that has expired since its session was made is refused here, as Go refuses to resume one.
     */
    private Optional<X509Certificate> verifiedClientCertificate(SSLSocket socket) throws SSLHandshakeException {
        if (!clientAuth.verifies()) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = socket.getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // VerifyClientCertIfGiven and none was given
        }
        try {
            for (Certificate certificate : chain) {
                ((X509Certificate) certificate).checkValidity();
            }
        } catch (CertificateException | ClassCastException e) {
            throw new SSLHandshakeException("client certificate no longer valid: " + e.getMessage());
        }
        return chain.length > 0 ? Optional.of((X509Certificate) chain[0]) : Optional.empty();
    }
}

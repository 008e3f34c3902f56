package io.authgateway.testing;

import io.authgateway.tls.CaBundle;
import io.authgateway.tls.CertifiedKey;
import io.authgateway.tls.ReloadingKeyManager;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A TLS client for tests of the HTTPS listener: trusts one CA bundle, presents a client certificate
 * when given one, and can be narrowed to some protocols or cipher suites. Requests go over raw
 * {@link SSLSocket}s so a test sees exactly what the handshake did.
 */
public final class TlsClient {

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;

    private TlsClient(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /** Trusts {@code ca}; presents {@code certificate} when it is not null. */
    public static TlsClient trusting(Path ca, TestPki.Pair certificate) throws Exception {
        KeyManager[] keys = certificate == null ? new KeyManager[0]
                : new KeyManager[] {new ReloadingKeyManager(CertifiedKey.load(certificate.certificate(), certificate.key()))};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {CaBundle.load(ca)}, null);
        return new TlsClient(context, List.of(), List.of());
    }

    public TlsClient protocols(String... names) {
        return new TlsClient(context, List.of(names), cipherSuites);
    }

    public TlsClient cipherSuites(String... names) {
        return new TlsClient(context, protocols, List.of(names));
    }

    public SSLContext context() {
        return context;
    }

    /** A connected, handshaken socket to the gateway on {@code port}, verifying the name {@code localhost}. */
    public SSLSocket connect(int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        // verified against "localhost" though connected to 127.0.0.1: the certificate names both
        socket.startHandshake();
        return socket;
    }

    /** Sends one request on {@code socket} and reads its answer (head and body). */
    public static String exchange(SSLSocket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        return RawHttp.readAnswer(in);
    }

    /** One GET on a new connection: its status, or -1 when the handshake or the exchange failed. */
    public int status(int port, String path, String... headers) {
        try (SSLSocket socket = connect(port)) {
            String answer = exchange(socket, get(path, headers));
            return Integer.parseInt(answer.substring(9, 12));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static String get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }
}

package io.authgateway.websocket;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens the upstream leg of a WebSocket relay: a TCP connection within the dial timeout, wrapped in
 * TLS (default trust store, host name verified) when the component's URL is {@code https}. TCP
 * keep-alive is on so a vanished peer is noticed on an idle tail.
 */
final class UpstreamDialer {

    private final Duration dialTimeout;

    UpstreamDialer(Duration dialTimeout) {
        this.dialTimeout = dialTimeout;
    }

    Socket dial(URI target) throws IOException {
        boolean tls = target.getScheme().toLowerCase(Locale.ROOT).equals("https");
        String host = target.getHost();
        int port = target.getPort() != -1 ? target.getPort() : tls ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, dialTimeout.toMillis()));
            if (!tls) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The {@code Host} header for the upstream: its host and any explicit port. */
    static String hostHeader(URI target) {
        return target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort();
    }
}

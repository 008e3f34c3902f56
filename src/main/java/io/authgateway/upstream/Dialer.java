package io.authgateway.upstream;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * The one way the gateway opens a connection to an upstream (the pooled HTTP client and the
 * WebSocket relay): TCP within the dial timeout, {@code TCP_NODELAY} and keep-alive on (a vanished
 * peer is noticed on an idle tail), and for an {@code https} component TLS on top ({@link UpstreamTls}:
 * host names verified unless a server name is pinned or verification is skipped), handshaken within
 * the same timeout. Names are
 * resolved at each dial, never pinned, so an upstream whose address changes is found again.
 */
public final class Dialer {

    private final Duration timeout;
    private final Optional<UpstreamTls> tls;

    /** @param tls TLS for https upstreams; empty when none is configured (an https dial then fails) */
    public Dialer(Duration timeout, Optional<UpstreamTls> tls) {
        this.timeout = timeout;
        this.tls = tls;
    }

    /**
     * A connected socket and the channel under it (for closing and the pool's non-blocking probe).
     * For TLS the socket is the {@link SSLSocket} on top of the channel's socket.
     */
    record Connected(SocketChannel channel, Socket socket) {
    }

    Connected dial(UpstreamAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().setKeepAlive(true);
            channel.socket().connect(address.resolve(), timeoutMillis());
            return new Connected(channel, address.tls() ? handshake(channel.socket(), address) : channel.socket());
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new DialTimeoutException(timeout);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A connected socket to the upstream of {@code target}: plain for http, TLS for https. */
    public Socket dial(URI target) throws IOException {
        return dial(UpstreamAddress.of(target)).socket();
    }

    private SSLSocket handshake(Socket socket, UpstreamAddress address) throws IOException {
        UpstreamTls upstreamTls = tls.orElseThrow(() -> new SSLException("no TLS context: no https upstream was configured"));
        // the peer host is what SNI carries: the configured server name, else the URL's host
        SSLSocket secure = (SSLSocket) upstreamTls.context().getSocketFactory()
                .createSocket(socket, upstreamTls.serverName().orElse(address.host()), address.port(), true);
        SSLParameters parameters = secure.getSSLParameters();
        if (upstreamTls.checksHost()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        secure.setSSLParameters(parameters);
        secure.setSoTimeout(timeoutMillis());
        secure.startHandshake();
        secure.setSoTimeout(0);
        return secure;
    }

    /** The {@code Host} header for the upstream: its host and any explicit port (never user info). */
    public static String hostHeader(URI target) {
        return target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort();
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** No connection (or no TLS handshake) within the dial timeout, told apart for the log. */
    public static final class DialTimeoutException extends IOException {
        DialTimeoutException(Duration timeout) {
            super("connect timed out after " + timeout);
        }
    }
}

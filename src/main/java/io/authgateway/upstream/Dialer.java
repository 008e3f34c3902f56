package io.authgateway.upstream;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;

/**
 * The one way the gateway opens a connection to an upstream (the pooled HTTP client and the
 * WebSocket relay): TCP within the dial timeout, {@code TCP_NODELAY} and keep-alive on (a vanished
 * peer is noticed on an idle tail), wrapped in TLS with the default trust store and host name
 * verification when the component's URL is {@code https}. Names are resolved at each dial, never
 * pinned, so an upstream whose address changes is found again.
 */
public final class Dialer {

    private final Duration timeout;

    public Dialer(Duration timeout) {
        this.timeout = timeout;
    }

    /** A connected plain TCP channel, in blocking mode. */
    SocketChannel dial(UpstreamAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().setKeepAlive(true);
            channel.socket().connect(address.resolve(), timeoutMillis());
            return channel;
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
        boolean tls = target.getScheme().toLowerCase(Locale.ROOT).equals("https");
        UpstreamAddress address = new UpstreamAddress(target.getHost(), port(target));
        Socket socket = dial(address).socket();
        if (!tls) {
            return socket;
        }
        try {
            SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, address.host(), address.port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The {@code Host} header for the upstream: its host and any explicit port (never user info). */
    public static String hostHeader(URI target) {
        return target.getPort() == -1 ? target.getHost() : target.getHost() + ":" + target.getPort();
    }

    private static int port(URI target) {
        if (target.getPort() != -1) {
            return target.getPort();
        }
        return target.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** No connection within the dial timeout (told apart from other connect failures for the log). */
    public static final class DialTimeoutException extends IOException {
        DialTimeoutException(Duration timeout) {
            super("connect timed out after " + timeout);
        }
    }
}

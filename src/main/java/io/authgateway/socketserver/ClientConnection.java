package io.authgateway.socketserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import io.authgateway.connection.RawConnection;
import io.authgateway.proxy.DeadlineSweeper;
import io.authgateway.proxy.HttpSyntax;
import io.authgateway.proxy.SocketInput;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One client connection, served by one virtual thread with plain blocking I/O: wait for a request
 * (idle timeout), read its head (read timeout, size limits), run the context's filters and handler
 * on a {@link SocketExchange}, and keep the connection only if that exchange ended cleanly.
 */
final class ClientConnection implements Runnable {

    private static final int INPUT_BUFFER = 16 * 1024;
    private static final int OUTPUT_BUFFER = 16 * 1024;
    private static final java.time.Duration LINGER = java.time.Duration.ofMillis(500);
    private static final long LINGER_BYTES = 4L * 1024 * 1024;

    private final SocketHttpServer server;
    private final SocketChannel channel;
    private final ServerLimits limits;
    private final SocketInput in;
    private final DeadlineSweeper.Deadline deadline;
    private final OutputStream out;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private volatile boolean idle = true;

    ClientConnection(SocketHttpServer server, SocketChannel channel, ServerLimits limits, DeadlineSweeper deadlines)
            throws IOException {
        this.server = server;
        this.channel = channel;
        this.limits = limits;
        channel.socket().setTcpNoDelay(true);
        this.in = new SocketInput(channel.socket().getInputStream(), INPUT_BUFFER);
        this.deadline = deadlines.register(this::close);
        this.out = new BufferedOutputStream(channel.socket().getOutputStream(), OUTPUT_BUFFER);
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void run() {
        try {
            while (!server.stopping() && awaitRequest()) {
                idle = false;
                if (!serveOne()) {
                    break;
                }
                idle = true;
            }
        } catch (IOException | RuntimeException e) {
            // The client left, timed out or broke the protocol mid-exchange: the connection just ends.
        } finally {
            close();
            server.closed(this);
        }
    }

    /**
     * Waits up to the idle timeout for the first byte of the next request; false if none comes (the
     * sweeper closes the connection at the deadline, which ends the wait with an exception).
     */
    private boolean awaitRequest() throws IOException {
        deadline.arm(limits.idleTimeout());
        return in.awaitByte();
    }

    /** Reads and serves one request; true if the connection can carry the next one. */
    private boolean serveOne() throws IOException {
        // Go's ReadTimeout: the head and the body must arrive within it; disarmed once the body is in.
        deadline.arm(limits.readTimeout());
        RequestHead head;
        try {
            head = RequestHead.read(in, limits);
        } catch (RequestHead.BadRequest e) {
            reject(e.status, e.getMessage());
            return false;
        } catch (EOFException e) {
            return false;
        }
        SocketExchange exchange;
        try {
            exchange = exchange(head);
        } catch (RequestHead.BadRequest e) {
            reject(e.status, e.getMessage());
            return false;
        }
        HttpContext context = exchange.getHttpContext();
        try {
            new Filter.Chain(context.getFilters(), context.getHandler()).doFilter(exchange);
        } finally {
            exchange.close();
        }
        if (exchange.keepsConnection()) {
            return true;
        }
        if (exchange.leftRequestBytes()) {
            lingeringClose();
        }
        return false;
    }

    private SocketExchange exchange(RequestHead head) throws RequestHead.BadRequest {
        URI uri;
        try {
            uri = new URI(head.target());
        } catch (URISyntaxException e) {
            throw new RequestHead.BadRequest(400, "malformed request target");
        }
        HttpContext context = server.contextFor(uri.getPath());
        if (context == null) {
            throw new RequestHead.BadRequest(404, "no context for the request path");
        }
        long length = bodyLength(head.headers().get("Transfer-Encoding"), head.headers().get("Content-Length"));
        String expect = head.headers().getFirst("Expect");
        boolean expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue") && !head.http10();
        RequestBodyInput body = RequestBodyInput.of(in, length, expectsContinue, out, deadline::disarm);
        boolean closeAfter = HttpSyntax.hasToken(head.headers().get("Connection"), "close");
        return new SocketExchange(this, head, uri, context, body, closeAfter);
    }

    /** -1 for chunked, else the Content-Length; the JDK server's rules for conflicting framing. */
    static long bodyLength(List<String> transferEncoding, List<String> contentLength) throws RequestHead.BadRequest {
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw new RequestHead.BadRequest(400, "both Transfer-Encoding and Content-Length");
            }
            if (transferEncoding.size() != 1 || !transferEncoding.getFirst().equalsIgnoreCase("chunked")) {
                throw new RequestHead.BadRequest(501, "unsupported Transfer-Encoding");
            }
            return -1;
        }
        if (contentLength == null) {
            return 0;
        }
        String text = contentLength.getFirst();
        if (contentLength.size() != 1 || text.isEmpty() || text.length() > 18) {
            throw new RequestHead.BadRequest(400, "invalid Content-Length");
        }
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new RequestHead.BadRequest(400, "invalid Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** The server's own answer to a request no handler may see; the connection closes after it. */
    private void reject(int status, String reason) {
        server.rejected(remote, status, reason);
        String text = status + " " + StatusLine.reason(status);
        try {
            out.write(("HTTP/1.1 " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                    + text).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            lingeringClose();
        } catch (IOException e) {
            // the client is gone already; the connection closes either way
        }
    }

    /**
     * Ends a connection the client may still be sending on: closing with unread bytes makes the
     * kernel send a reset, which can destroy the answer before the client reads it. So: send FIN,
     * then read and discard for a short while (Go's net/http does the same), then close.
     */
    private void lingeringClose() {
        try {
            channel.shutdownOutput();
            deadline.arm(LINGER);
            byte[] scratch = new byte[8192];
            for (long discarded = 0; discarded < LINGER_BYTES; ) {
                int n = in.read(scratch, 0, scratch.length);
                if (n < 0) {
                    break;
                }
                discarded += n;
            }
        } catch (IOException e) {
            // the deadline closed the socket, or the client reset it: done either way
        }
    }

    boolean idle() {
        return idle;
    }

    boolean stopping() {
        return server.stopping();
    }

    String date() {
        return server.date();
    }

    long idleSeconds() {
        return limits.idleTimeout().toSeconds();
    }

    OutputStream output() {
        return out;
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    InetSocketAddress localAddress() {
        return local;
    }

    /** The connection under HTTP, for a WebSocket relay; reads no longer have a deadline. */
    RawConnection raw() {
        deadline.disarm();
        return new RawConnection(in, out, channel);
    }

    /** Closes the socket now, from any thread; a blocked read or write fails. */
    void close() {
        deadline.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // already failed; nothing left to release
        }
    }
}

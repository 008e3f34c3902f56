package io.authgateway.server;

import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BodyInput;
import io.authgateway.codec.DeadlineSweeper;
import io.authgateway.codec.HeadWriter;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.RequestHead;
import io.authgateway.codec.StatusCodes;
import io.authgateway.codec.WireInput;
import io.authgateway.codec.WireOutput;
import io.authgateway.observability.Log;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

/**
 * One client connection, served by one virtual thread with plain blocking I/O: wait for a request
 * (idle timeout), read its head (read timeout, size limits), check it ({@link RequestRules}), run
 * the context's handler on a {@link SocketExchange}, and keep the connection only if that exchange
 * ended cleanly. A request that breaks a rule is answered here, with its status, and the
 * connection closed; nothing of it reaches a handler.
 */
final class ClientConnection implements Runnable {

    /** Holds a request head and a small body; held by every open connection, idle ones too. */
    private static final int INPUT_BUFFER = 4 * 1024;
    private static final Duration LINGER = Duration.ofMillis(500);
    private static final long LINGER_BYTES = 4L * 1024 * 1024;

    private final SocketHttpServer server;
    private final SocketChannel channel;
    private final ServerLimits limits;
    /** The streams and socket of the connection: set at once for plain HTTP, after the handshake for TLS. */
    private WireInput in;
    private WireOutput out;
    private final DeadlineSweeper.Deadline readDeadline;
    private final DeadlineSweeper.Deadline writeDeadline;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    /** The channel's socket, or TLS layered on it; the channel is what deadlines close. */
    private Socket socket;
    private final Optional<ServerTls> tls;
    private Optional<X509Certificate> clientCertificate = Optional.empty();
    private volatile boolean idle = true;

    ClientConnection(SocketHttpServer server, SocketChannel channel, Optional<ServerTls> tls) throws IOException {
        this.server = server;
        this.channel = channel;
        this.limits = server.limits();
        this.tls = tls;
        channel.socket().setTcpNoDelay(true);
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.readDeadline = server.deadlines().register(this::close);
        this.writeDeadline = server.deadlines().register(this::writeStalled);
        if (tls.isEmpty()) {
            streams(channel.socket());
        }
    }

    private void streams(Socket connected) throws IOException {
        this.socket = connected;
        this.in = new WireInput(connected.getInputStream(), INPUT_BUFFER);
        this.out = new WireOutput(connected.getOutputStream(), server.outputBuffers(), writeDeadline,
                limits.writeTimeout());
    }

    @Override
    public void run() {
        try {
            if (tls.isPresent() && !handshake(tls.get())) {
                return;
            }
            while (!server.stopping() && awaitRequest()) {
                idle = false;
                if (!serveOne()) {
                    break;
                }
                out.release();
                idle = true;
            }
        } catch (IOException | RuntimeException e) {
            // The client left, timed out or broke the protocol mid-exchange: the connection just ends.
        } finally {
            close();
            if (out != null) {
                out.release();
            }
            server.closed(this);
        }
    }

    /**
     * The TLS handshake, within the read timeout like a request head: a client that never
     * completes it is cut by the sweeper and holds its virtual thread no longer than that.
     */
    private boolean handshake(ServerTls serverTls) {
        readDeadline.arm(limits.readTimeout());
        try {
            ServerTls.Started started = serverTls.start(channel.socket());
            if (started == null) {
                streams(channel.socket());
                refuse(400, "plain HTTP sent to the HTTPS listener",
                        "Client sent an HTTP request to an HTTPS server.\n");
                return false;
            }
            streams(started.socket());
            clientCertificate = started.clientCertificate();
            readDeadline.disarm();
            return true;
        } catch (EOFException e) {
            return false; // connected and left without a byte: a TCP health check, not worth a log line
        } catch (IOException | RuntimeException e) {
            server.handshakeFailed(remote, readDeadline.expired() ? "no handshake within the read timeout"
                    : Log.describe(e));
            return false;
        }
    }

    /**
     * Waits up to the idle timeout for the first byte of the next request; false if none comes (the
     * sweeper closes the connection at the deadline, which ends the wait with an exception).
     */
    private boolean awaitRequest() throws IOException {
        readDeadline.arm(limits.idleTimeout());
        return in.awaitByte();
    }

    /** Reads and serves one request; true if the connection can carry the next one. */
    private boolean serveOne() throws IOException {
        // Go's ReadTimeout: the head and the body must arrive within it; disarmed once the body is in.
        readDeadline.arm(limits.readTimeout());
        RequestHead head;
        RequestRules rules;
        try {
            head = RequestHead.read(in, limits.head());
            if (head == null) {
                return false;
            }
            rules = RequestRules.admit(head);
        } catch (HttpProtocolException e) {
            refuse(e.status(), e.getMessage());
            return false;
        } catch (EOFException e) {
            return false;
        }
        if (rules.target().isAsterisk()) {
            return answerOptions(rules);
        }
        SocketHttpContext context = server.contextFor(rules.target().path());
        if (context == null) {
            refuse(404, "no context for the request path");
            return false;
        }
        SocketExchange exchange = new SocketExchange(this, head, rules, context);
        try {
            context.handle(exchange);
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

    /** The request body as its head frames it; the read deadline ends with it. */
    BodyInput body(BodyFraming framing, BodyInput.Listener listener) {
        return new BodyInput(in, framing, new BodyInput.Listener() {
            @Override
            public void beforeFirstRead() throws IOException {
                listener.beforeFirstRead();
            }

            @Override
            public void ended() {
                readDeadline.disarm();
                listener.ended();
            }
        });
    }

    /** {@code OPTIONS *} asks about the server itself: 200 with the methods it serves, as Go's server answers. */
    private boolean answerOptions(RequestRules rules) throws IOException {
        boolean drained = body(rules.framing(), new BodyInput.Listener() { }).drain(SocketExchange.DRAIN_LIMIT);
        boolean keep = drained && !rules.closeAfter() && !server.stopping();
        HeadWriter head = HeadWriter.status(200).field("Allow", RequestRules.ALLOWED_METHODS)
                .field("Content-Length", "0").field("Date", server.date());
        if (!keep) {
            head.field("Connection", "close");
        }
        head.writeTo(out);
        out.flush();
        return keep;
    }

    /** The server's own answer to a request no handler may see; the connection closes after it. */
    private void refuse(int status, String reason) {
        refuse(status, reason, refusalText(status));
    }

    private void refuse(int status, String reason, String text) {
        server.refused(remote, status, reason);
        try {
            writeRefusal(status, text);
            lingeringClose();
        } catch (IOException e) {
            // the client is gone already; the connection closes either way
        }
    }

    /** {@code 400 Bad Request} as a short text answer that closes the connection. */
    void writeRefusal(int status) throws IOException {
        writeRefusal(status, refusalText(status));
    }

    private static String refusalText(int status) {
        return status + " " + StatusCodes.reason(status) + "\n";
    }

    private void writeRefusal(int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        HeadWriter head = HeadWriter.status(status).field("Content-Type", "text/plain; charset=utf-8")
                .field("Content-Length", Integer.toString(body.length)).field("Date", server.date())
                .field("Connection", "close");
        if (status == 405) {
            head.field("Allow", RequestRules.ALLOWED_METHODS);
        }
        head.writeTo(out);
        out.write(body);
        out.flush();
    }

    /**
     * Ends a connection the client may still be sending on: closing with unread bytes makes the
     * kernel send a reset, which can destroy the answer before the client reads it. So: send FIN,
     * then read and discard for a short while (Go's net/http does the same), then close.
     */
    private void lingeringClose() {
        try {
            readDeadline.arm(LINGER);
            out.flush();
            socket.shutdownOutput();
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

    /** The connection's buffered output: heads and bodies are written here. */
    OutputStream output() {
        return out;
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    InetSocketAddress localAddress() {
        return local;
    }

    /** The client's certificate, when TLS verified it against the client CA bundle. */
    Optional<X509Certificate> verifiedClientCertificate() {
        return clientCertificate;
    }

    /** The connection under HTTP, for a WebSocket relay; reads no longer have a deadline, writes keep theirs. */
    RawConnection raw() {
        readDeadline.disarm();
        return new UpgradedConnection(in, out, socket, this::close);
    }

    /** The write deadline passed: the client stopped reading. Runs on the sweeper's thread. */
    private void writeStalled() {
        server.writeStalled(remote);
        close();
    }

    /** Closes the socket now, from any thread; a blocked read or write fails. */
    void close() {
        readDeadline.cancel();
        writeDeadline.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // already failed; nothing left to release
        }
    }
}

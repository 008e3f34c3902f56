package io.authgateway.proxy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One plain-TCP HTTP/1.1 connection to an upstream. Blocking I/O on a virtual thread; reads can be
 * given a timeout. Between uses the pool checks {@link #looksReusable()} so a connection the
 * upstream already closed is not picked.
 */
final class UpstreamConnection implements AutoCloseable {

    /** Per-connection buffers: a response head fits; bodies stream through in chunks of this size. */
    private static final int INPUT_BUFFER = 8 * 1024;
    /** Request heads are written through it; larger body chunks bypass it. */
    private static final int OUTPUT_BUFFER = 4 * 1024;

    private final SocketChannel channel;
    private final DeadlineSweeper.Deadline deadline;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private long idleSince;
    private int uses;

    private UpstreamConnection(SocketChannel channel, DeadlineSweeper deadlines) throws IOException {
        this.channel = channel;
        this.deadline = deadlines.register(this::close);
        this.in = new SocketInput(channel.socket().getInputStream(), INPUT_BUFFER);
        this.out = new BufferedOutputStream(channel.socket().getOutputStream(), OUTPUT_BUFFER);
    }

    static UpstreamConnection open(InetSocketAddress address, Duration connectTimeout, DeadlineSweeper deadlines)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().setKeepAlive(true);
            channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new UpstreamConnection(channel, deadlines);
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new UpstreamConnectTimeoutException(connectTimeout);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /** Closes the connection when it passes, which fails a blocked read; {@link DeadlineSweeper.Deadline#expired} tells. */
    DeadlineSweeper.Deadline deadline() {
        return deadline;
    }

    int uses() {
        return uses;
    }

    void markUsed() {
        uses++;
    }

    void markIdle(long nowNanos) {
        idleSince = nowNanos;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * True if nothing is waiting on the connection: no EOF from an upstream that closed it and no
     * unsolicited bytes. A non-blocking one-byte read, then back to blocking mode.
     */
    boolean looksReusable() {
        try {
            if (in.available() > 0) {
                return false;
            }
            channel.configureBlocking(false);
            probe.clear();
            int n = channel.read(probe);
            channel.configureBlocking(true);
            return n == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        deadline.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket that already failed; nothing left to release
        }
    }

    /** The connect timeout elapsed (distinguished from other connect failures for 502 logging). */
    static final class UpstreamConnectTimeoutException extends IOException {
        UpstreamConnectTimeoutException(Duration timeout) {
            super("connect timed out after " + timeout);
        }
    }
}

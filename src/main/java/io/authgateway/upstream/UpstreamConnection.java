package io.authgateway.upstream;

import io.authgateway.codec.BufferPool;
import io.authgateway.codec.DeadlineSweeper;
import io.authgateway.codec.WireInput;
import io.authgateway.codec.WireOutput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One HTTP/1.1 connection to an upstream, plain or TLS. Blocking I/O on a virtual thread; reads and
 * writes run under one {@link DeadlineSweeper.Deadline} that closes the socket when it passes.
 * Between uses the pool checks {@link #looksReusable()} so a connection the upstream already closed,
 * or one holding bytes nobody asked for, is never picked.
 */
final class UpstreamConnection implements AutoCloseable {

    /** Holds an answer's head and a small body; larger bodies stream through in chunks of this size. */
    private static final int INPUT_BUFFER = 8 * 1024;

    private final SocketChannel channel;
    private final DeadlineSweeper.Deadline deadline;
    private final WireInput in;
    private final WireOutput out;
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private long idleSince;

    /** @param sendBuffers the buffers requests are gathered in (taken per request, not per connection) */
    UpstreamConnection(Dialer.Connected connected, DeadlineSweeper deadlines, BufferPool sendBuffers) throws IOException {
        this.channel = connected.channel();
        this.deadline = deadlines.register(this::close);
        this.in = new WireInput(connected.socket().getInputStream(), INPUT_BUFFER);
        this.out = new WireOutput(connected.socket().getOutputStream(), sendBuffers);
    }

    WireInput in() {
        return in;
    }

    WireOutput out() {
        return out;
    }

    /**
     * Closes the connection when it passes, which fails a blocked read or write;
     * {@link DeadlineSweeper.Deadline#expired} tells.
     */
    DeadlineSweeper.Deadline deadline() {
        return deadline;
    }

    void markIdle(long nowNanos) {
        idleSince = nowNanos;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * True if nothing is waiting on the connection: no EOF from an upstream that closed it and no
     * unsolicited bytes. A non-blocking one-byte read on the raw channel, then back to blocking
     * mode. Under TLS any record (a close_notify from an upstream that timed the connection out)
     * counts as unsolicited: such a connection is closed, never guessed at.
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
        // The send buffer is given back by the thread that writes, never here: the sweeper closes
        // from its own thread, and a buffer in two hands would mix two tenants' bytes.
    }
}

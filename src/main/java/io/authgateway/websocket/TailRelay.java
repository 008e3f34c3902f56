package io.authgateway.websocket;

import io.authgateway.codec.DeadlineSweeper;
import io.authgateway.server.RawConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pipes an upgraded connection's bytes both ways until either side closes, one virtual thread per
 * direction. Frames are not decoded or re-encoded, so text, binary, ping/pong and close frames (with
 * their close codes) and any negotiated extension pass through exactly. There is no read timeout:
 * an idle tail stays open. A write that stalls past the write timeout closes both sides: the
 * server's write deadline guards the client side, a deadline of this relay's the upstream side.
 *
 * <p>When one side ends its stream cleanly, the other side's output is shut down (a TCP half close,
 * as the WebSocket closing handshake expects) and the remaining direction gets {@link #LINGER} to
 * finish before both sockets are closed. An error on either side closes both at once.
 */
public final class TailRelay {

    static final Duration LINGER = Duration.ofSeconds(10);
    private static final int BUFFER_SIZE = 16 * 1024;

    private final DeadlineSweeper deadlines;
    private final Duration writeTimeout;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Tail> tails = ConcurrentHashMap.newKeySet();

    /** @param writeTimeout how long one write to the upstream may stall ({@code -server.http-write-timeout}) */
    public TailRelay(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
        this.deadlines = new DeadlineSweeper("tail-deadlines", DeadlineSweeper.tickFor(writeTimeout));
    }

    /** Bytes moved and who ended the tail. */
    public record Result(long clientToUpstream, long upstreamToClient, String closedBy, String error) {
    }

    /** Open tails now, for the gauge. */
    public int open() {
        return open.get();
    }

    /** Closes every open tail (at shutdown: a tail never finishes on its own) and stops the deadlines. */
    public void closeAll() {
        tails.forEach(Tail::closeBoth);
    }

    /** At shutdown, after {@link #closeAll}. */
    public void close() {
        deadlines.close();
    }

    /**
     * Writes {@code prelude} (the upstream's 101 head) to the client, then relays until both
     * directions ended; {@code upstreamIn} may already hold bytes that came right after that head.
     *
     * @throws IOException when the prelude cannot be written; both connections are closed then
     */
    public Result relay(RawConnection client, byte[] prelude, Socket upstream, InputStream upstreamIn, String what)
            throws IOException {
        upstream.setSoTimeout(0);
        Tail tail = new Tail(client, upstream, writeTimeout);
        DeadlineSweeper.Deadline upstreamWrites = deadlines.register(tail::closeBoth);
        tails.add(tail);
        open.incrementAndGet();
        try {
            OutputStream clientOut = client.out();
            clientOut.write(prelude);
            clientOut.flush();
            OutputStream upstreamOut = upstream.getOutputStream();
            Thread up = Thread.ofVirtual().name("tail-client-to-upstream").start(() ->
                    tail.pump(client.in(), upstreamOut, upstreamWrites, tail.up, "client", tail::shutdownUpstreamOutput));
            tail.pump(upstreamIn, clientOut, null, tail.down, "upstream", tail::shutdownClientOutput);
            join(up);
            return new Result(tail.up.bytes.get(), tail.down.bytes.get(), tail.closedBy, tail.error);
        } finally {
            upstreamWrites.cancel();
            tail.closeBoth();
            tails.remove(tail);
            open.decrementAndGet();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Progress of one direction. */
    private static final class Direction {
        final AtomicLong bytes = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
    }

    /** One relayed connection pair. */
    private static final class Tail {

        final RawConnection client;
        final Socket upstream;
        final Duration writeTimeout;
        final Direction up = new Direction();
        final Direction down = new Direction();
        volatile String closedBy = "";
        volatile String error = "";

        Tail(RawConnection client, Socket upstream, Duration writeTimeout) {
            this.client = client;
            this.upstream = upstream;
            this.writeTimeout = writeTimeout;
        }

        /** @param writes armed around each write, or null where the stream has a write deadline of its own */
        void pump(InputStream from, OutputStream to, DeadlineSweeper.Deadline writes, Direction direction, String source,
                  Runnable halfClose) {
            boolean clean = false;
            String failure = "";
            try {
                byte[] buffer = new byte[BUFFER_SIZE];
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    if (writes != null) {
                        writes.arm(writeTimeout);
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                    if (writes != null) {
                        writes.disarm();
                    }
                    direction.bytes.addAndGet(n);
                }
                clean = true;
            } catch (IOException e) {
                // reset, closed by the other direction, or a stalled write: the tail is over either way
                failure = e.toString();
            } finally {
                synchronized (this) {
                    if (closedBy.isEmpty()) {
                        closedBy = clean ? source : source + "-error";
                        error = failure;
                    }
                }
                direction.done.countDown();
            }
            if (!clean) {
                closeBoth();
                return;
            }
            halfClose.run();
            Direction other = direction == up ? down : up;
            try {
                if (!other.done.await(LINGER.toMillis(), TimeUnit.MILLISECONDS)) {
                    closeBoth();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeBoth();
            }
        }

        void shutdownUpstreamOutput() {
            try {
                upstream.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                closeBoth();
            }
        }

        void shutdownClientOutput() {
            try {
                client.shutdownOutput();
            } catch (IOException e) {
                closeBoth();
            }
        }

        void closeBoth() {
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing a socket that is already broken: nothing left to do
            }
            client.close();
        }
    }
}

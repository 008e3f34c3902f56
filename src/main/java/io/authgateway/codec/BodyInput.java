package io.authgateway.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message body exactly as its {@link BodyFraming} delimits it, decoded strictly and counted: the
 * one reader of bodies, for requests on the server and answers in the upstream client. An early
 * end is an {@link EOFException} (the peer went away), never a short body; a framing error is an
 * {@link HttpProtocolException}, after which the connection is good for nothing but closing. The
 * chunked grammar follows RFC 9112 §7.1 to the letter ({@link ChunkedGrammar}).
 */
public final class BodyInput extends InputStream {

    /** What the owner of the connection wants to know about this body. */
    public interface Listener {
        /** Runs before the first read that needs bytes from the peer (e.g. to send {@code 100 Continue}). */
        default void beforeFirstRead() throws IOException {
        }

        /** Runs once, when the whole body has been read (at once for a body that is empty). */
        default void ended() {
        }
    }

    private static final Listener NO_LISTENER = new Listener() {
    };

    private final WireInput in;
    private final BodyFraming framing;
    private final Listener listener;
    private final ChunkedGrammar chunks;
    private long remaining;
    private long count;
    private boolean started;
    private boolean finished;
    private IOException failure;

    public BodyInput(WireInput in, BodyFraming framing, Listener listener) {
        this.in = in;
        this.framing = framing;
        this.listener = listener;
        this.chunks = framing instanceof BodyFraming.Chunked ? new ChunkedGrammar(in) : null;
        this.remaining = framing instanceof BodyFraming.Fixed fixed ? fixed.length() : 0;
        if (framing instanceof BodyFraming.None) {
            end();
        }
    }

    public BodyInput(WireInput in, BodyFraming framing) {
        this(in, framing, NO_LISTENER);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            listener.beforeFirstRead();
        }
        try {
            int n = switch (framing) {
                case BodyFraming.Fixed fixed -> readFixed(buffer, offset, length);
                case BodyFraming.Chunked chunked -> readChunked(buffer, offset, length);
                case BodyFraming.UntilClose untilClose -> readUntilClose(buffer, offset, length);
                case BodyFraming.None none -> -1;
            };
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private int readFixed(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("connection closed with " + remaining + " body bytes missing");
        }
        remaining -= n;
        if (remaining == 0) {
            end();
        }
        return n;
    }

    private int readChunked(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
            remaining = chunks.nextChunkSize();
            if (remaining == 0) {
                chunks.trailers();
                end();
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            chunks.chunkEnd();
        }
        return n;
    }

    private int readUntilClose(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            end();
        }
        return n;
    }

    private void end() {
        if (!finished) {
            finished = true;
            listener.ended();
        }
    }

    /** Whether the whole body has been read. */
    public boolean finished() {
        return finished;
    }

    /** Whether reading failed: the peer went away or broke the framing. */
    public boolean failed() {
        return failure != null;
    }

    /** The failure that ended reading, or null. */
    public IOException failure() {
        return failure;
    }

    /** Whether the first read has happened (the peer was asked for the body). */
    public boolean started() {
        return started;
    }

    /** Body bytes read so far (decoded: without chunk sizes and trailers). */
    public long count() {
        return count;
    }

    /**
     * Bytes buffered for this body, the socket not asked: within a fixed body or a chunk, no more
     * than it has left (never bytes of what follows it); between chunks, whatever is buffered.
     * 0 once the body ended.
     */
    @Override
    public int available() {
        return finished || failure != null ? 0 : (int) Math.min(in.available(), remaining > 0 ? remaining : in.available());
    }

    /** Whether more than {@code limit} bytes of a fixed-length body are still unread: {@link #drain} would give up. */
    public boolean unreadBeyond(long limit) {
        return framing instanceof BodyFraming.Fixed && !finished && remaining > limit;
    }

    /**
     * Reads and discards up to {@code limit} bytes of what is left; true if the body ended within
     * it and cleanly. A fixed body with more than {@code limit} left is not read at all: it could
     * not end within it, and reading would only wait for a client that may be sending slowly (a
     * push refused with 429 is not read further than needed to answer).
     */
    public boolean drain(long limit) {
        if (unreadBeyond(limit)) {
            return false;
        }
        byte[] scratch = new byte[8192];
        try {
            for (long left = limit; left > 0 && !finished; ) {
                int n = read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
            return finished;
        } catch (IOException e) {
            return false;
        }
    }
}

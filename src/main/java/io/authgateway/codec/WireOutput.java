package io.authgateway.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Buffered writing to a socket for one thread at a time, on both sides of the gateway. Each write
 * to the socket wakes its reader, so heads and bodies are gathered into one buffer and go out in as
 * few writes as possible; {@link #transferFrom} fills the buffer straight from another stream. The
 * buffer comes from a {@link BufferPool} on the first write and goes back on {@link #release()}, so
 * an idle keep-alive connection holds none. Every socket write can run under a deadline: a write
 * that stalls past it (a client that stopped reading) has its socket closed by the sweeper.
 */
public final class WireOutput extends OutputStream {

    private final OutputStream socket;
    private final BufferPool pool;
    private final DeadlineSweeper.Deadline deadline;
    private final long timeoutNanos;
    private byte[] buffer;
    private int count;

    /**
     * @param deadline armed for {@code writeTimeout} around each socket write; null for none
     */
    public WireOutput(OutputStream socket, BufferPool pool, DeadlineSweeper.Deadline deadline, Duration writeTimeout) {
        this.socket = socket;
        this.pool = pool;
        this.deadline = deadline;
        this.timeoutNanos = writeTimeout.toNanos();
    }

    public WireOutput(OutputStream socket, BufferPool pool) {
        this(socket, pool, null, Duration.ZERO);
    }

    @Override
    public void write(int b) throws IOException {
        byte[] target = buffer();
        if (count == target.length) {
            flushBuffer();
        }
        target[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] target = buffer();
        if (length >= target.length) {
            flushBuffer();
            socketWrite(bytes, offset, length);
            return;
        }
        if (length > target.length - count) {
            flushBuffer();
        }
        System.arraycopy(bytes, offset, target, count, length);
        count += length;
    }

    /**
     * Copies exactly {@code length} bytes from {@code source}, read straight into the buffer and
     * written whenever it is full, so that a head written before and the body go out together.
     *
     * @throws SourceException when reading from {@code source} fails or it ends early (its cause
     *                         says which); write failures are plain {@link IOException}s
     */
    public void transferFrom(InputStream source, long length) throws IOException {
        byte[] target = buffer();
        for (long remaining = length; remaining > 0; ) {
            if (count == target.length) {
                flushBuffer();
            }
            int n;
            try {
                n = source.read(target, count, (int) Math.min(target.length - count, remaining));
            } catch (IOException e) {
                throw new SourceException(e);
            }
            if (n < 0) {
                throw new SourceException(new java.io.EOFException("source ended " + remaining + " bytes early"));
            }
            count += n;
            remaining -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
    }

    /** Gives the buffer back to the pool; only when nothing is left in it (after a flush). */
    public void release() {
        if (buffer != null && count == 0) {
            pool.give(buffer);
            buffer = null;
        }
    }

    private byte[] buffer() {
        if (buffer == null) {
            buffer = pool.take();
        }
        return buffer;
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            socketWrite(buffer, 0, n);
        }
    }

    private void socketWrite(byte[] bytes, int offset, int length) throws IOException {
        if (deadline == null) {
            socket.write(bytes, offset, length);
            return;
        }
        deadline.armNanos(timeoutNanos);
        try {
            socket.write(bytes, offset, length);
        } finally {
            deadline.disarm();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Reading from the source of a {@link #transferFrom} failed; not this stream's fault. */
    public static final class SourceException extends IOException {
        public SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}

package io.authgateway.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A message body written as its {@link BodyFraming} says, counted: the one writer of bodies, for
 * answers on the server and re-chunked request bodies in the upstream client. Until
 * {@link #start} it refuses writes (a body before its head). A fixed-length body fails on a byte
 * too many and, at {@link #close}, on a byte too few; a chunked one gets its last chunk only at a
 * clean close, never after {@link #abandon}: a peer must never mistake a cut body for a whole one.
 */
public final class BodyOutput extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final Runnable onComplete;
    private BodyFraming framing;
    private long remaining;
    private long count;
    private boolean closed;
    private boolean complete;

    /** @param onComplete runs once the whole body is out and flushed */
    public BodyOutput(OutputStream out, Runnable onComplete) {
        this.out = out;
        this.onComplete = onComplete;
    }

    /** The head has been written: the body may follow. */
    public void start(BodyFraming framing) {
        this.framing = framing;
        this.remaining = framing instanceof BodyFraming.Fixed fixed ? fixed.length() : 0;
    }

    public boolean started() {
        return framing != null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (framing == null) {
            throw new IOException("body written before its head");
        }
        if (closed) {
            throw new IOException("body already closed");
        }
        if (length == 0) {
            return; // a zero-size chunk would end a chunked body
        }
        switch (framing) {
            case BodyFraming.Fixed fixed -> {
                if (length > remaining) {
                    throw new IOException("more bytes than the declared Content-Length");
                }
                out.write(bytes, offset, length);
                remaining -= length;
            }
            case BodyFraming.Chunked chunked -> {
                out.write(Long.toHexString(length).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(bytes, offset, length);
                out.write(CRLF);
            }
            case BodyFraming.UntilClose untilClose -> out.write(bytes, offset, length);
            case BodyFraming.None none -> throw new IOException("this message has no body");
        }
        count += length;
    }

    @Override
    public void flush() throws IOException {
        if (framing != null && !closed) {
            out.flush();
        }
    }

    /** Ends the body: the last chunk for a chunked one, a check that a fixed one is whole; then flushes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (framing == null) {
            return;
        }
        if (remaining > 0) {
            throw new IOException("body closed with " + remaining + " of its declared bytes unwritten");
        }
        if (framing instanceof BodyFraming.Chunked) {
            out.write(LAST_CHUNK);
        }
        out.flush();
        complete = true;
        onComplete.run();
    }

    /** Ends the body without its end: it stays incomplete, and the connection must be closed. */
    public void abandon() {
        closed = true;
    }

    /** Whether the body was written whole and flushed. */
    public boolean complete() {
        return complete;
    }

    /** Body bytes written (without chunk framing). */
    public long count() {
        return count;
    }
}

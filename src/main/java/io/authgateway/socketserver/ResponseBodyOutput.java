package io.authgateway.socketserver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response body as the exchange declared it in {@code sendResponseHeaders}: exactly a fixed
 * length, chunked, or (HTTP/1.0 clients) until the connection closes. Writing more than a fixed
 * length, or closing before all of it was written, fails, and the connection is not reused:
 * a client must never mistake a cut answer for a whole one.
 */
final class ResponseBodyOutput extends OutputStream {

    enum Framing { FIXED, CHUNKED, UNTIL_CLOSE }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final Framing framing;
    private final Runnable onComplete;
    private long remaining;
    private boolean closed;

    /**
     * @param onComplete runs once the whole body is out and flushed (the connection may then serve the next request)
     */
    ResponseBodyOutput(OutputStream out, Framing framing, long length, Runnable onComplete) {
        this.out = out;
        this.framing = framing;
        this.remaining = length;
        this.onComplete = onComplete;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("response body already closed");
        }
        if (length == 0) {
            return; // a zero-size chunk would end a chunked body
        }
        switch (framing) {
            case FIXED -> {
                if (length > remaining) {
                    throw new IOException("too many bytes for the declared Content-Length");
                }
                out.write(bytes, offset, length);
                remaining -= length;
            }
            case CHUNKED -> {
                out.write(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(bytes, offset, length);
                out.write(CRLF);
            }
            case UNTIL_CLOSE -> out.write(bytes, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (framing == Framing.FIXED && remaining > 0) {
            throw new IOException("response closed with " + remaining + " of its declared bytes unwritten");
        }
        if (framing == Framing.CHUNKED) {
            out.write(LAST_CHUNK);
        }
        out.flush();
        onComplete.run();
    }
}

package io.authgateway.socketserver;

import io.authgateway.proxy.ChunkedBodyInput;
import io.authgateway.proxy.FixedLengthBodyInput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A request body exactly as its head frames it (Content-Length or chunked, strictly; an early end
 * is an error). A client that sent {@code Expect: 100-continue} gets its {@code 100 Continue} on the
 * first read, so a request the gateway refuses (401, 404) never makes the client send its body.
 */
final class RequestBodyInput extends InputStream {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InputStream body;
    private final OutputStream interim;
    private final Runnable onEnd;
    private boolean continueOwed;
    private boolean ended;

    private RequestBodyInput(InputStream body, OutputStream interim, boolean continueOwed, Runnable onEnd) {
        this.body = body;
        this.interim = interim;
        this.continueOwed = continueOwed;
        this.onEnd = onEnd;
        endIfFinished();
    }

    /**
     * @param length -1 for chunked, else the Content-Length (0: no body)
     * @param onEnd  runs once, when the whole body has been read (at once for no body)
     */
    static RequestBodyInput of(InputStream in, long length, boolean expectsContinue, OutputStream interim,
                               Runnable onEnd) {
        InputStream body = length < 0 ? new ChunkedBodyInput(in, "client")
                : length == 0 ? InputStream.nullInputStream() : new FixedLengthBodyInput(in, length, "client");
        return new RequestBodyInput(body, interim, expectsContinue && length != 0, onEnd);
    }

    @Override
    public int read() throws IOException {
        sendContinueOnce();
        int b = body.read();
        endIfFinished();
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        sendContinueOnce();
        int n = body.read(buffer, offset, length);
        endIfFinished();
        return n;
    }

    private void endIfFinished() {
        if (!ended && finished()) {
            ended = true;
            onEnd.run();
        }
    }

    /** Whether the whole body has been read (always true for a body the client was never asked to send). */
    boolean finished() {
        return switch (body) {
            case FixedLengthBodyInput fixed -> fixed.finished();
            case ChunkedBodyInput chunked -> chunked.finished();
            default -> true;
        };
    }

    /** Whether the client still waits for a 100 Continue it never got: its body may or may not follow. */
    boolean continueOwed() {
        return continueOwed;
    }

    /** Reads and discards up to {@code limit} bytes of what is left; true if the body ended within it. */
    boolean drain(long limit) {
        if (continueOwed) {
            return false;
        }
        byte[] scratch = new byte[8192];
        try {
            for (long left = limit; left > 0 && !finished(); ) {
                int n = read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
            return finished();
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private void sendContinueOnce() throws IOException {
        if (continueOwed) {
            continueOwed = false;
            interim.write(CONTINUE);
            interim.flush();
        }
    }
}

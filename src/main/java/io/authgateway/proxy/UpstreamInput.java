package io.authgateway.proxy;

import java.io.IOException;
import java.io.InputStream;

/**
 * Buffered reading from an upstream socket for one thread at a time. Unlike
 * {@code BufferedInputStream} it takes no lock per call, which matters when response heads are
 * parsed byte by byte on every request.
 */
final class UpstreamInput extends InputStream {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    UpstreamInput(InputStream in, int size) {
        this.in = in;
        this.buffer = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit) {
            if (length >= buffer.length) {
                return in.read(target, offset, length);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    /** Bytes already buffered; the socket is not asked. */
    @Override
    public int available() {
        return limit - position;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

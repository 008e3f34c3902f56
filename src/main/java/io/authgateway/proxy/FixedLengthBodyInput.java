package io.authgateway.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code length} bytes of an upstream body; an early EOF is an error, never a short body. */
public final class FixedLengthBodyInput extends InputStream {

    private final InputStream in;
    private final String peer;
    private long remaining;

    FixedLengthBodyInput(InputStream in, long length) {
        this(in, length, "upstream");
    }

    /** @param peer who sends the body, for error messages ("upstream", "client") */
    public FixedLengthBodyInput(InputStream in, long length, String peer) {
        this.in = in;
        this.peer = peer;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException(peer + " closed with " + remaining + " body bytes missing");
        }
        remaining -= n;
        return n;
    }

    public boolean finished() {
        return remaining == 0;
    }
}

package io.authgateway.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The client's request body as the upstream client reads it: counts bytes and remembers whether
 * reading from the client failed, so a client that went away is not reported as an upstream error.
 */
final class CountingInputStream extends FilterInputStream {

    private long count;
    private volatile boolean failed;

    CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        if (n > 0) {
            count += n;
        }
        return n;
    }

    long count() {
        return count;
    }

    boolean failed() {
        return failed;
    }
}

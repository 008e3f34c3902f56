package io.authgateway.jdkclient;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The client's request body as the JDK client reads it, on the client's own threads: remembers
 * the first failure, so that a client that went away, or sent a malformed body, is not reported as
 * an upstream error when the client's send fails because of it.
 */
final class ClientBody extends FilterInputStream {

    private volatile IOException failure;

    ClientBody(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        }
    }

    /** The failure reading the client's body, or null. */
    IOException failure() {
        return failure;
    }
}

package io.authgateway.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a chunked upstream body strictly: hex sizes (extensions ignored), CRLF after each chunk,
 * trailers read and dropped. Ends cleanly only after the last chunk and its trailer section, so
 * {@link #finished()} tells whether the connection is positioned at the next response.
 */
public final class ChunkedBodyInput extends InputStream {

    private final InputStream in;
    private final String peer;
    private long remaining;
    private boolean finished;

    ChunkedBodyInput(InputStream in) {
        this(in, "upstream");
    }

    /** @param peer who sends the body, for error messages ("upstream", "client") */
    public ChunkedBodyInput(InputStream in, String peer) {
        this.in = in;
        this.peer = peer;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (finished) {
            return -1;
        }
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                readTrailers();
                finished = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException(peer + " closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            expectCrlf();
        }
        return n;
    }

    public boolean finished() {
        return finished;
    }

    private long nextChunkSize() throws IOException {
        int[] budget = {ResponseHead.MAX_LINE};
        String line = ResponseHead.readLine(in, budget);
        if (line == null) {
            throw new EOFException(peer + " closed before a chunk size");
        }
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new HttpFramingException("invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new HttpFramingException("invalid chunk size");
            }
            size = size * 16 + digit;
        }
        return size;
    }

    private void expectCrlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new HttpFramingException("chunk not followed by CRLF");
        }
    }

    private void readTrailers() throws IOException {
        int[] budget = {ResponseHead.MAX_HEAD};
        for (String line; ; ) {
            line = ResponseHead.readLine(in, budget);
            if (line == null) {
                throw new EOFException(peer + " closed inside the trailer section");
            }
            if (line.isEmpty()) {
                return;
            }
        }
    }
}

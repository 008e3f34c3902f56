package io.authgateway.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes a {@code Transfer-Encoding: chunked} body (RFC 9112 §7.1); extensions and trailers are
 * read and dropped. Used only for an upstream that refuses a WebSocket upgrade with a chunked answer.
 */
final class ChunkedBodyInputStream extends InputStream {

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private long remaining;
    private boolean finished;

    ChunkedBodyInputStream(InputStream in) {
        this.in = in;
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
                while (!line().isEmpty()) {
                    // trailer fields are not relayed
                }
                finished = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("chunked body ended early");
        }
        remaining -= n;
        if (remaining == 0 && !line().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = line();
        int semicolon = line.indexOf(';');
        String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        try {
            long value = Long.parseLong(size, 16);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size");
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("chunked body ended early");
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("chunk line too long");
            }
            line.append((char) b);
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }
}

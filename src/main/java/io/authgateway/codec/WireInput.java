package io.authgateway.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffered reading from a socket for one thread at a time, on both sides of the gateway. Unlike
 * {@code BufferedInputStream} it takes no lock per call, hands out a whole buffered head line at
 * once ({@link #bufferedLine}), since every head is parsed line by line, and reads that are at
 * least a buffer long go straight into the caller's array. The buffer is small (a head and a small
 * body fit): a server holds one per open connection, idle ones included.
 */
public final class WireInput extends InputStream {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    public WireInput(InputStream in, int size) {
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

    /** Waits for the next byte without consuming it; false on EOF. */
    public boolean awaitByte() throws IOException {
        return position < limit || fill();
    }

    /**
     * The next line if it is already buffered whole: its text (ISO-8859-1, without CRLF), with the
     * line consumed. Null, with nothing consumed, when the buffer holds no complete line or the line
     * breaks a rule (CR without LF, a control byte other than tab); the caller then reads byte by
     * byte, which reports the exact problem.
     */
    public String bufferedLine() {
        for (int i = position; i < limit; i++) {
            byte b = buffer[i];
            if (b == '\r') {
                if (i + 1 >= limit || buffer[i + 1] != '\n') {
                    return null;
                }
                String line = new String(buffer, position, i - position, StandardCharsets.ISO_8859_1);
                position = i + 2;
                return line;
            }
            if ((b >= 0 && b < ' ' && b != '\t') || b == 0x7f) {
                return null;
            }
        }
        return null;
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

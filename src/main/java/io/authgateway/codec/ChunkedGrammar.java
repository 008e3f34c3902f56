package io.authgateway.codec;

import java.io.EOFException;
import java.io.IOException;

/**
 * The framing lines of the chunked transfer coding (RFC 9112 §7.1), for {@link BodyInput}:
 * <pre>
 * chunk-size = 1*HEXDIG                 leading zeros allowed; no sign, no "0x", no space before it
 * chunk-ext  = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
 * chunk      = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * </pre>
 * A size that does not fit a long, a size line longer than {@link #MAX_SIZE_LINE} (extensions are
 * read and dropped, never kept), data not followed by exactly CRLF, and malformed trailers are all
 * {@link HttpProtocolException}s (400 for a request).
 */
final class ChunkedGrammar {

    /** A size line with its extensions; nginx and Node allow a few KiB, nobody needs more. */
    static final int MAX_SIZE_LINE = 4096;
    /** The trailer section, dropped after it was checked. */
    static final int MAX_TRAILERS = 16 * 1024;
    private static final int MAX_TRAILER_FIELDS = 100;

    private final WireInput in;
    private final HeadReader lines;

    ChunkedGrammar(WireInput in) {
        this.in = in;
        this.lines = new HeadReader(in, MAX_SIZE_LINE, 400);
    }

    /** Reads a size line; 0 is the last chunk. */
    long nextChunkSize() throws IOException {
        lines.limit(MAX_SIZE_LINE, 400);
        String line = lines.line();
        if (line == null) {
            throw new EOFException("connection closed before a chunk size");
        }
        int end = 0;
        long size = 0;
        for (int digit; end < line.length() && (digit = HttpSyntax.hexDigit(line.charAt(end))) >= 0; end++) {
            if (size > (Long.MAX_VALUE >> 4)) {
                throw HttpProtocolException.invalid("chunk size too large");
            }
            size = (size << 4) + digit;
        }
        if (end == 0) {
            throw HttpProtocolException.invalid("invalid chunk size");
        }
        checkExtensions(line, end);
        return size;
    }

    /** The CRLF that must follow a chunk's data: anything else means the chunk was longer than its size. */
    void chunkEnd() throws IOException {
        int cr = in.read();
        int lf = cr == '\r' ? in.read() : -2;
        if (cr < 0 || lf == -1) {
            throw new EOFException("connection closed after a chunk");
        }
        if (cr != '\r' || lf != '\n') {
            throw HttpProtocolException.invalid("chunk data not followed by CRLF");
        }
    }

    /** The trailer section after the last chunk: checked like header fields, then dropped. */
    void trailers() throws IOException {
        lines.limit(MAX_TRAILERS, 400);
        lines.fields(MAX_TRAILER_FIELDS);
    }

    private static void checkExtensions(String line, int from) throws HttpProtocolException {
        int i = from;
        while (true) {
            i = skipWhitespace(line, i);
            if (i == line.length()) {
                if (i != from && HttpSyntax.isWhitespace(line.charAt(i - 1))) {
                    throw HttpProtocolException.invalid("white space after a chunk size");
                }
                return;
            }
            if (line.charAt(i) != ';') {
                throw HttpProtocolException.invalid("invalid chunk size");
            }
            i = skipWhitespace(line, i + 1);
            int nameEnd = tokenEnd(line, i);
            if (nameEnd == i) {
                throw HttpProtocolException.invalid("invalid chunk extension");
            }
            i = skipWhitespace(line, nameEnd);
            if (i < line.length() && line.charAt(i) == '=') {
                i = extensionValueEnd(line, skipWhitespace(line, i + 1));
            }
        }
    }

    private static int extensionValueEnd(String line, int i) throws HttpProtocolException {
        if (i < line.length() && line.charAt(i) == '"') {
            for (i++; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i + 1;
                }
            }
            throw HttpProtocolException.invalid("unterminated quoted chunk extension");
        }
        int end = tokenEnd(line, i);
        if (end == i) {
            throw HttpProtocolException.invalid("invalid chunk extension value");
        }
        return end;
    }

    private static int skipWhitespace(String line, int i) {
        while (i < line.length() && HttpSyntax.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(String line, int i) {
        while (i < line.length() && HttpSyntax.isTokenChar(line.charAt(i))) {
            i++;
        }
        return i;
    }
}

package io.authgateway.codec;

import java.io.EOFException;
import java.io.IOException;

/**
 * Reads the lines of a message head (request or status line, header fields, chunk-size lines and
 * trailers) under a byte budget, with the rules of RFC 9112 §2.2 and §5 applied without leniency:
 * every line ends in CRLF (a bare LF or CR is refused), no control byte other than tab, no
 * obsolete line folding, field names are tokens with no space before the colon. Whatever breaks a
 * rule is an {@link HttpProtocolException}; a head larger than the budget is one with
 * {@code overLimitStatus} (431 for request heads).
 */
public final class HeadReader {

    private final WireInput in;
    private int overLimitStatus;
    private int budget;
    /** For lines that are not buffered whole; most are, so it is made on first need. */
    private StringBuilder scratch;

    public HeadReader(WireInput in, int maxBytes, int overLimitStatus) {
        this.in = in;
        limit(maxBytes, overLimitStatus);
    }

    /** From here on at most {@code maxBytes} more, else {@code overLimitStatus}. */
    public void limit(int maxBytes, int overLimitStatus) {
        this.budget = maxBytes;
        this.overLimitStatus = overLimitStatus;
    }

    /**
     * The next line without its CRLF, as ISO-8859-1; null if the connection ends before its first
     * byte.
     *
     * @throws EOFException if the connection ends inside the line
     */
    public String line() throws IOException {
        String buffered = in.bufferedLine();
        if (buffered != null) {
            spend(buffered.length() + 2);
            return buffered;
        }
        if (scratch == null) {
            scratch = new StringBuilder(64);
        }
        scratch.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (scratch.isEmpty()) {
                    return null;
                }
                throw new EOFException("connection closed inside a head line");
            }
            spend(1);
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw HttpProtocolException.invalid("CR not followed by LF");
                }
                spend(1);
                return scratch.toString();
            }
            if (b == '\n') {
                throw HttpProtocolException.invalid("bare LF as line end");
            }
            if ((b < ' ' && b != '\t') || b == 0x7f) {
                throw HttpProtocolException.invalid("control character in the head");
            }
            scratch.append((char) b);
        }
    }

    /** Like {@link #line} but the connection must not end here. */
    public String requiredLine() throws IOException {
        String line = line();
        if (line == null) {
            throw new EOFException("connection closed inside the head");
        }
        return line;
    }

    /** Header (or trailer) fields up to the empty line that ends them. */
    public WireHeaders fields(int maxFields) throws IOException {
        WireHeaders fields = new WireHeaders();
        int count = 0;
        for (String line; !(line = requiredLine()).isEmpty(); ) {
            if (++count > maxFields) {
                throw new HttpProtocolException(overLimitStatus, "more than " + maxFields + " header fields");
            }
            addField(fields, line);
        }
        return fields;
    }

    private static void addField(WireHeaders fields, String line) throws HttpProtocolException {
        if (HttpSyntax.isWhitespace(line.charAt(0))) {
            throw HttpProtocolException.invalid("obsolete header line folding");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw HttpProtocolException.invalid("header line without a name");
        }
        String name = line.substring(0, colon);
        if (!HttpSyntax.isToken(name)) {
            throw HttpProtocolException.invalid("invalid header name");
        }
        fields.addParsed(WireHeaders.normalize(name), HttpSyntax.trim(line, colon + 1, line.length()));
    }

    private void spend(int bytes) throws HttpProtocolException {
        budget -= bytes;
        if (budget < 0) {
            throw new HttpProtocolException(overLimitStatus, "head larger than the limit");
        }
    }
}

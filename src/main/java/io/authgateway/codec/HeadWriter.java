package io.authgateway.codec;

import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Serialises a message head: a request line or a status line, then fields, then the empty line,
 * as ISO-8859-1 with CRLF. The one head writer, for answers on the server, requests in the
 * upstream client and WebSocket handshakes; it refuses anything that could split or smuggle a
 * message (a name that is not a token, a value with CR, LF or another control byte) with an
 * {@link IllegalArgumentException}, before a byte is written.
 */
public final class HeadWriter {

    /** The head as it is built: ISO-8859-1 bytes, grown as needed; no string in between. */
    private byte[] head = new byte[384];
    private int length;

    private HeadWriter() {
    }

    /** {@code METHOD target HTTP/1.1}; the target must be visible ASCII. */
    public static HeadWriter request(String method, String target) {
        if (!HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException("invalid method");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("invalid request target");
            }
        }
        HeadWriter writer = new HeadWriter();
        writer.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
        return writer;
    }

    /** {@code HTTP/1.1 status reason}. */
    public static HeadWriter status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status code out of range: " + status);
        }
        HeadWriter writer = new HeadWriter();
        writer.append("HTTP/1.1 ").append(Integer.toString(status)).append(" ").append(StatusCodes.reason(status))
                .append("\r\n");
        return writer;
    }

    public HeadWriter field(String name, String value) {
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("invalid header name");
        }
        if (!HttpSyntax.isFieldValue(value)) {
            throw new IllegalArgumentException("header " + name + " has a value that cannot be sent");
        }
        return append(name).append(": ").append(value).append("\r\n");
    }

    /** Every value of every field, in the map's order. */
    public HeadWriter fields(Headers fields) {
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                field(field.getKey(), value);
            }
        }
        return this;
    }

    /** The head with its final empty line, as the bytes sent. */
    public byte[] bytes() {
        append("\r\n");
        return Arrays.copyOf(head, length);
    }

    /** Writes the head with its final empty line. */
    public void writeTo(OutputStream out) throws IOException {
        append("\r\n");
        out.write(head, 0, length);
    }

    /** Checked characters only (all at most 0xff), so each is one byte. */
    @SuppressWarnings("deprecation")
    private HeadWriter append(String text) {
        int n = text.length();
        if (length + n > head.length) {
            head = Arrays.copyOf(head, Math.max(head.length * 2, length + n));
        }
        text.getBytes(0, n, head, length); // the deprecated Latin-1 copy is exactly what is meant here
        length += n;
        return this;
    }
}

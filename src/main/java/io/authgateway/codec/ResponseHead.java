package io.authgateway.codec;

import java.io.EOFException;
import java.io.IOException;

/**
 * The status line and header fields of an HTTP/1.x answer (RFC 9112 §4), read by the same
 * {@link HeadReader} and under the same {@link HeadLimits} as request heads. The upstream client
 * treats any {@link HttpProtocolException} from here as a 502 and never reuses the connection.
 *
 * @param status  the status code, 100 to 999
 * @param http10  whether the upstream answered with HTTP/1.0
 * @param headers header fields, names normalised the way {@code Headers} does it
 */
public record ResponseHead(int status, boolean http10, WireHeaders headers) {

    /** @throws EOFException if the connection ends before or inside the head */
    public static ResponseHead read(WireInput in, HeadLimits limits) throws IOException {
        HeadReader reader = new HeadReader(in, limits.maxHeadBytes(), 502);
        String line = reader.line();
        if (line == null) {
            throw new EOFException("connection closed before a status line");
        }
        // HTTP-version SP 3DIGIT SP reason; the SP before an empty reason is often left out (Go, nginx accept that)
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw HttpProtocolException.invalid("malformed status line");
        }
        char minor = line.charAt(7);
        if (minor != '0' && minor != '1') {
            throw HttpProtocolException.invalid("unsupported HTTP version");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw HttpProtocolException.invalid("malformed status code");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw HttpProtocolException.invalid("status code out of range");
        }
        return new ResponseHead(status, minor == '0', reader.fields(limits.maxFields()));
    }

    /** Whether the upstream keeps the connection open after this answer (HTTP/1.1 without {@code Connection: close}). */
    public boolean keepsConnection() {
        return !http10 && !HttpSyntax.hasToken(headers.get("Connection"), "close");
    }
}

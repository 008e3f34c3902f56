package io.authgateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP/1.1 response, read strictly: bounded line length, header
 * count and total size; no obsolete line folding; a malformed head is an {@link HttpFramingException}
 * and the connection is never reused after it. Header names are kept in lower case.
 *
 * @param status  the status code
 * @param http10  whether the upstream answered with HTTP/1.0
 * @param headers header name (lower case) → values in order
 */
public record ResponseHead(int status, boolean http10, Map<String, List<String>> headers) {

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_HEADERS = 200;

    public static ResponseHead read(InputStream in) throws IOException {
        return readFrom(in);
    }

    /**
     * Reads a head and also copies its bytes, exactly as received, into {@code raw} (for answers
     * that are relayed verbatim, such as a WebSocket 101).
     */
    public static ResponseHead read(InputStream in, java.io.ByteArrayOutputStream raw) throws IOException {
        return readFrom(new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    raw.write(b);
                }
                return b;
            }
        });
    }

    private static ResponseHead readFrom(InputStream in) throws IOException {
        int[] budget = {MAX_HEAD};
        String statusLine = readLine(in, budget);
        if (statusLine == null) {
            throw new java.io.EOFException("connection closed before a status line");
        }
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new HttpFramingException("malformed status line");
        }
        boolean http10 = statusLine.charAt(7) == '0';
        if (!http10 && statusLine.charAt(7) != '1') {
            throw new HttpFramingException("unsupported HTTP version");
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpFramingException("malformed status code");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new HttpFramingException("status code out of range");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int count = 0;
        for (String line; !(line = readLine(in, budget)).isEmpty(); ) {
            if (++count > MAX_HEADERS) {
                throw new HttpFramingException("too many response headers");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new HttpFramingException("obsolete header line folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpFramingException("header line without a name");
            }
            String name = line.substring(0, colon);
            if (!HttpSyntax.isToken(name)) {
                throw new HttpFramingException("invalid header name");
            }
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(line.substring(colon + 1).strip());
        }
        return new ResponseHead(status, http10, headers);
    }

    /** Reads one CRLF-terminated line as ISO-8859-1; null on EOF before any byte. A bare LF is refused. */
    static String readLine(InputStream in, int[] budget) throws IOException {
        if (in instanceof SocketInput socket) {
            String line = socket.bufferedLine();
            if (line != null) {
                budget[0] -= line.length() + 2;
                if (budget[0] < 0 || line.length() > MAX_LINE) {
                    throw new HttpFramingException("response head too large");
                }
                return line;
            }
        }
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new java.io.EOFException("connection closed inside a header line");
            }
            if (--budget[0] < 0 || line.length() > MAX_LINE) {
                throw new HttpFramingException("response head too large");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new HttpFramingException("CR not followed by LF");
                }
                budget[0]--;
                return line.toString();
            }
            if (b == '\n' || b == 0) {
                throw new HttpFramingException("bare LF or NUL in response head");
            }
            line.append((char) b);
        }
    }

    public String first(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null ? null : values.getFirst();
    }

    /** Whether the token list header (e.g. Connection) contains {@code token}, case-insensitively. */
    public boolean hasToken(String lowerCaseName, String token) {
        return HttpSyntax.hasToken(headers.get(lowerCaseName), token);
    }

    /** Header values as a response-header map for {@link ProxyHeaders#forResponse}. */
    public Map<String, List<String>> asMap() {
        return headers;
    }
}

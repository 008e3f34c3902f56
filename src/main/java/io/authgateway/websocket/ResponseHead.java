package io.authgateway.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream's HTTP/1.1 response head, read byte by byte so that whatever follows it (the first
 * WebSocket frames, or the body) stays in the stream.
 *
 * @param status  the status code
 * @param headers header values by lower-case name, in arrival order
 * @param raw     the head exactly as received, up to and including the empty line
 */
public record ResponseHead(int status, Map<String, List<String>> headers, byte[] raw) {

    public ResponseHead {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Larger heads are refused: an upstream handshake answer is a few hundred bytes. */
    public static final int MAX_BYTES = 64 * 1024;

    public String first(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null ? null : values.getFirst();
    }

    /** Reads one head; fails on a malformed or oversized head, or an early end of stream. */
    public static ResponseHead read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("upstream closed the connection after " + raw.size() + " bytes of its response head");
            }
            raw.write(b);
            if (raw.size() > MAX_BYTES) {
                throw new IOException("upstream response head longer than " + MAX_BYTES + " bytes");
            }
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                if (end == 0) {
                    break;
                }
                lines.add(line.substring(0, end));
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return parse(lines, raw.toByteArray());
    }

    private static ResponseHead parse(List<String> lines, byte[] raw) throws IOException {
        if (lines.isEmpty() || !lines.getFirst().startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response");
        }
        String statusLine = lines.getFirst();
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, Math.min(12, statusLine.length())).trim());
        } catch (RuntimeException e) {
            throw new IOException("malformed status line");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header : lines.subList(1, lines.size())) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line");
            }
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        return new ResponseHead(status, headers, raw);
    }

    /** The raw head as text, for tests and debug logs. */
    public String text() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}

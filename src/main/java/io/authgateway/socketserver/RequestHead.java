package io.authgateway.socketserver;

import com.sun.net.httpserver.Headers;
import io.authgateway.proxy.HttpSyntax;
import io.authgateway.proxy.SocketInput;

import java.io.EOFException;
import java.io.IOException;

/**
 * The request line and headers of an HTTP/1.x request, read strictly: bounded size and header
 * count, token-only header names, no obsolete line folding, CRLF line ends. A head that breaks
 * a rule is a {@link BadRequest} carrying the status to answer; nothing of it reaches a handler.
 *
 * @param method  request method, case kept as sent
 * @param target  request target as sent (origin form, or asterisk/absolute form)
 * @param http10  whether the request line says HTTP/1.0
 * @param headers header names normalised the way {@link Headers} does it, values stripped
 */
record RequestHead(String method, String target, boolean http10, Headers headers) {

    /** A request the server answers itself, with {@code status}, before any handler sees it. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    /**
     * Reads one head; empty lines before the request line are skipped (RFC 9112 §2.2).
     *
     * @throws EOFException if the connection ends before or inside the head
     */
    static RequestHead read(SocketInput in, ServerLimits limits) throws IOException, BadRequest {
        int[] budget = {limits.maxHeadBytes()};
        StringBuilder scratch = new StringBuilder(128);
        String requestLine;
        do {
            requestLine = readLine(in, budget, scratch);
        } while (requestLine.isEmpty());
        int firstSpace = requestLine.indexOf(' ');
        int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || lastSpace != requestLine.indexOf(' ', firstSpace + 1)) {
            throw new BadRequest(400, "malformed request line");
        }
        String method = requestLine.substring(0, firstSpace);
        if (!HttpSyntax.isToken(method)) {
            throw new BadRequest(400, "invalid method");
        }
        String target = requestLine.substring(firstSpace + 1, lastSpace);
        String version = requestLine.substring(lastSpace + 1);
        boolean http10 = version.equals("HTTP/1.0");
        if (!http10 && !version.equals("HTTP/1.1")) {
            throw new BadRequest(version.startsWith("HTTP/") ? 505 : 400, "unsupported version " + version);
        }
        return new RequestHead(method, target, http10, readHeaders(in, budget, limits.maxHeaders(), scratch));
    }

    private static Headers readHeaders(SocketInput in, int[] budget, int maxHeaders, StringBuilder scratch)
            throws IOException, BadRequest {
        WireHeaders headers = new WireHeaders();
        int count = 0;
        while (true) {
            String line = readLine(in, budget, scratch);
            if (line.isEmpty()) {
                return headers;
            }
            if (++count > maxHeaders) {
                throw new BadRequest(431, "more than " + maxHeaders + " header lines");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new BadRequest(400, "obsolete header line folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "header line without a name");
            }
            String name = line.substring(0, colon);
            if (!HttpSyntax.isToken(name)) {
                throw new BadRequest(400, "invalid header name");
            }
            headers.addParsed(WireHeaders.normalize(name), line.substring(colon + 1).strip());
        }
    }

    /**
     * One CRLF-terminated line as ISO-8859-1, straight from the connection's buffer when it is there
     * whole, else byte by byte into {@code scratch}; a bare LF, NUL or other control byte is refused.
     */
    private static String readLine(SocketInput in, int[] budget, StringBuilder scratch) throws IOException, BadRequest {
        String buffered = in.bufferedLine();
        if (buffered != null) {
            budget[0] -= buffered.length() + 2;
            if (budget[0] < 0) {
                throw new BadRequest(431, "request head larger than the limit");
            }
            return buffered;
        }
        scratch.setLength(0);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(scratch.isEmpty() ? "connection closed" : "connection closed inside the request head");
            }
            if (--budget[0] < 0) {
                throw new BadRequest(431, "request head larger than the limit");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new BadRequest(400, "CR not followed by LF");
                }
                budget[0]--;
                return scratch.toString();
            }
            if ((b < ' ' && b != '\t') || b == 0x7f) {
                throw new BadRequest(400, "control character in the request head");
            }
            scratch.append((char) b);
        }
    }
}

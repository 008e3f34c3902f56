package io.authgateway.codec;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * The request line and header fields of an HTTP/1.x request (RFC 9112 §3), read strictly by a
 * {@link HeadReader}: single spaces between method, target and version, a token method, a target
 * of visible ASCII within {@link HeadLimits#maxTargetBytes} (else 414), version HTTP/1.0 or
 * HTTP/1.1 (another HTTP version is 505). What the target and the framing headers mean is
 * checked by {@link RequestTarget}, {@link #host} and {@link BodyFraming#ofRequest}.
 *
 * @param method  request method, case kept as sent
 * @param target  request target as sent
 * @param http10  whether the request line says HTTP/1.0
 * @param headers header fields, names normalised the way {@code Headers} does it
 */
public record RequestHead(String method, String target, boolean http10, WireHeaders headers) {

    /** Empty lines a client may send before a request line (RFC 9112 §2.2 allows at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    /**
     * Reads one head.
     *
     * @return null if the connection ends before the first byte of a request
     * @throws EOFException if it ends inside the head
     */
    public static RequestHead read(WireInput in, HeadLimits limits) throws IOException {
        HeadReader reader = new HeadReader(in, limits.maxTargetBytes() + 32, 414);
        String line = reader.line();
        for (int empty = 0; line != null && line.isEmpty(); empty++) {
            if (empty == MAX_LEADING_EMPTY_LINES) {
                throw HttpProtocolException.invalid("empty lines instead of a request line");
            }
            line = reader.line();
        }
        if (line == null) {
            return null;
        }
        int first = line.indexOf(' ');
        int last = line.lastIndexOf(' ');
        if (first <= 0 || last == first || line.indexOf(' ', first + 1) != last) {
            throw HttpProtocolException.invalid("malformed request line");
        }
        String method = line.substring(0, first);
        if (!HttpSyntax.isToken(method)) {
            throw HttpProtocolException.invalid("invalid method");
        }
        String target = line.substring(first + 1, last);
        checkTarget(target, limits);
        boolean http10 = version(line.substring(last + 1));
        reader.limit(limits.maxHeadBytes() - line.length(), 431);
        WireHeaders headers = reader.fields(limits.maxFields());
        return new RequestHead(method, target, http10, headers);
    }

    private static void checkTarget(String target, HeadLimits limits) throws HttpProtocolException {
        if (target.isEmpty()) {
            throw HttpProtocolException.invalid("empty request target");
        }
        if (target.length() > limits.maxTargetBytes()) {
            throw new HttpProtocolException(414, "request target longer than the limit");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw HttpProtocolException.invalid("request target with a byte that is not visible ASCII");
            }
        }
    }

    /** True for HTTP/1.0, false for HTTP/1.1; 505 for another HTTP version, 400 for anything else. */
    private static boolean version(String version) throws HttpProtocolException {
        if (version.equals("HTTP/1.1")) {
            return false;
        }
        if (version.equals("HTTP/1.0")) {
            return true;
        }
        if (version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                && version.charAt(6) == '.' && Character.isDigit(version.charAt(7))) {
            throw new HttpProtocolException(505, "unsupported HTTP version");
        }
        throw HttpProtocolException.invalid("malformed HTTP version");
    }

    /**
     * The {@code Host} value (RFC 9112 §3.2): exactly one field in an HTTP/1.1 request, at most one
     * in an HTTP/1.0 one (then null if absent), with host syntax.
     */
    public String host() throws HttpProtocolException {
        List<String> hosts = headers.get("Host");
        if (hosts == null) {
            if (http10) {
                return null;
            }
            throw HttpProtocolException.invalid("no Host header");
        }
        if (hosts.size() != 1) {
            throw HttpProtocolException.invalid("more than one Host header");
        }
        String host = hosts.getFirst();
        if (!HttpSyntax.isHost(host)) {
            throw HttpProtocolException.invalid("invalid Host header");
        }
        return host;
    }
}

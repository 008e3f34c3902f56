package io.authgateway.codec;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request target (RFC 9112 §3.2) as the gateway accepts it: the origin form
 * {@code absolute-path [ "?" query ]} with the characters of RFC 3986 (plus {@code [ ]} in the
 * query, which PromQL range selectors sent with GET carry), or {@code *} (for {@code OPTIONS}).
 * The absolute and authority forms are refused: a reverse proxy in front of one backend has no
 * use for them, and refusing them removes any question of which host or path a request means.
 *
 * <p>The raw path is what is routed and what is forwarded, byte for byte; so a path is either
 * canonical or redirected to its canonical form ({@link #isCanonical}): no empty segment
 * ({@code //}), no {@code .} or {@code ..} segment, no percent-encoded unreserved character
 * ({@code %41} is {@code A}; an upstream decoding it would see another path than was routed).
 *
 * @param path  the raw path, still percent-encoded; {@code *} for the asterisk form
 * @param query the raw query without {@code ?}, or null
 */
public record RequestTarget(String path, String query) {

    private static final String SUB_DELIMS = "!$&'()*+,;=";

    /** The form of an {@code OPTIONS *} request. */
    public static final RequestTarget ASTERISK = new RequestTarget("*", null);

    public static RequestTarget parse(String raw) throws HttpProtocolException {
        if (raw.equals("*")) {
            return ASTERISK;
        }
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw HttpProtocolException.invalid("request target not in origin form");
        }
        int question = raw.indexOf('?');
        int pathEnd = question < 0 ? raw.length() : question;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || HttpSyntax.hexDigit(raw.charAt(i + 1)) < 0
                        || HttpSyntax.hexDigit(raw.charAt(i + 2)) < 0) {
                    throw HttpProtocolException.invalid("malformed percent-encoding in the request target");
                }
                i += 2;
            } else if (!isPathChar(c) && !(i >= pathEnd && (c == '?' || c == '[' || c == ']'))) {
                throw HttpProtocolException.invalid("character not allowed in the request target");
            }
        }
        return new RequestTarget(raw.substring(0, pathEnd), question < 0 ? null : raw.substring(question + 1));
    }

    public boolean isAsterisk() {
        return path.equals("*"); // an origin-form path starts with '/'
    }

    /** Path and query as they were sent. */
    public String raw() {
        return query == null ? path : path + "?" + query;
    }

    /** True when {@link #canonicalPath} would change nothing; the check every request pays. */
    public boolean isCanonical() {
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/.")
                || path.endsWith("/..")) {
            return false;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (isUnreserved(decode(path, i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The path with unreserved characters decoded, then Go's {@code path.Clean} as gorilla/mux
     * applies it: empty, {@code .} and {@code ..} segments resolved, a trailing slash kept. Other
     * percent-encodings ({@code %2F} in a ruler namespace) stay as they are.
     */
    public String canonicalPath() {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decodeUnreserved(path).split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        segments.forEach(segment -> out.append('/').append(segment));
        if (out.isEmpty()) {
            return "/";
        }
        if (path.endsWith("/")) {
            out.append('/');
        }
        return out.toString();
    }

    private static String decodeUnreserved(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && isUnreserved(decode(path, i))) {
                out.append((char) decode(path, i));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int decode(String text, int percent) {
        return HttpSyntax.hexDigit(text.charAt(percent + 1)) * 16 + HttpSyntax.hexDigit(text.charAt(percent + 2));
    }

    /** RFC 3986 pchar without pct-encoded, plus "/". */
    private static boolean isPathChar(char c) {
        return isUnreserved(c) || SUB_DELIMS.indexOf(c) >= 0 || c == ':' || c == '@' || c == '/';
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}

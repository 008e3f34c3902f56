package io.authgateway.codec;

import java.util.List;

/**
 * The pieces of RFC 9110 grammar every side of the gateway checks: tokens (methods, field names),
 * token lists ({@code Connection}), field values and {@code Host}. Header lines are read as
 * ISO-8859-1, so a {@code char} here is one byte of the message.
 */
public final class HttpSyntax {

    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={}";
    /** Go's {@code httpguts.ValidHostHeader}: what may appear in a Host value (RFC 3986 authority). */
    private static final String HOST_SPECIALS = "!$%&'()*+,-.:;=[]_~";

    private HttpSyntax() {
    }

    /** A visible ASCII character that is not a separator: what header names and methods are made of. */
    public static boolean isTokenChar(int c) {
        return c > ' ' && c < 0x7f && SEPARATORS.indexOf(c) < 0;
    }

    /** A non-empty token (RFC 9110 §5.6.2). */
    public static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A field value (RFC 9110 §5.5): visible characters, spaces and tabs, obs-text; no other control byte. */
    public static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || (c < ' ' && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} is optional white space (RFC 9110 §5.6.3): a space or a tab. */
    public static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    /** {@code text[from, to)} without leading and trailing spaces and tabs (and nothing else). */
    public static String trim(String text, int from, int to) {
        while (from < to && isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    /** Whether a token-list header (e.g. {@code Connection}) holds {@code token}, in any of its values, any case. */
    public static boolean hasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String value : values) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                if (trim(value, start, end).equalsIgnoreCase(token)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    /** The value of a hexadecimal digit, or -1. */
    public static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** A syntactically valid {@code Host} value: empty, or host characters only (no space, slash, at-sign…). */
    public static boolean isHost(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && HOST_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}

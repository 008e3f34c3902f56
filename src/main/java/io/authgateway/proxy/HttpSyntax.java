package io.authgateway.proxy;

import java.util.List;

/** The two pieces of RFC 9110 grammar both sides of the gateway check: tokens and token lists. */
public final class HttpSyntax {

    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={}";

    private HttpSyntax() {
    }

    /** A visible ASCII character that is not a separator: what header names and methods are made of. */
    private static boolean isTokenChar(int c) {
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

    /** Whether a token-list header (e.g. {@code Connection}) holds {@code token}, in any of its values, any case. */
    public static boolean hasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.authgateway.auth;

/**
 * Mimir's and Loki's own tenant-ID rules: at most 150 characters from
 * {@code a-z A-Z 0-9 ! - _ . * ' ( )}, and not {@code .} or {@code ..}. A {@code |} (which Mimir
 * reads as a multi-tenant query), spaces, control characters and non-ASCII are refused.
 */
public final class TenantIds {

    public static final int MAX_LENGTH = 150;

    private TenantIds() {
    }

    /** Returns null when valid, else a short description of the problem for the log. */
    public static String problem(String tenant) {
        if (tenant.isEmpty()) {
            return "empty tenant ID";
        }
        if (tenant.length() > MAX_LENGTH) {
            return "tenant ID longer than " + MAX_LENGTH + " characters";
        }
        if (tenant.equals(".") || tenant.equals("..")) {
            return "tenant ID must not be '.' or '..'";
        }
        for (int i = 0; i < tenant.length(); i++) {
            if (!allowed(tenant.charAt(i))) {
                return "tenant ID contains an unsupported character at position " + i;
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '!' || c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')';
    }
}

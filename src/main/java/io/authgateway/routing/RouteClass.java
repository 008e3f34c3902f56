package io.authgateway.routing;

/**
 * What a proxied request does, decided by its route and method only (never by its body or
 * query). Access policies (scopes, tenant lists), limits and the audit log all read this one
 * value. {@link #label()} is the bounded value used in logs, metrics and audit lines.
 */
public enum RouteClass {
    WRITE("write", true),
    DELETE("delete", true),
    READ("read", false),
    RULES_READ("rules_read", false),
    RULES_WRITE("rules_write", true),
    ALERTS_READ("alerts_read", false),
    ALERTS_WRITE("alerts_write", true),
    /** Lists or touches every tenant ({@code /all_user_stats}); changes nothing. */
    ADMIN("admin", false);

    private final String label;
    private final boolean changesData;

    RouteClass(String label, boolean changesData) {
        this.label = label;
        this.changesData = changesData;
    }

    public String label() {
        return label;
    }

    /** Whether a request of this class changes a tenant's data, so must act on exactly one tenant. */
    public boolean changesData() {
        return changesData;
    }
}

package io.authgateway.auth;

import java.util.Optional;

/**
 * The scope names a token may carry (Grafana Enterprise's access-policy names), so a token can be
 * limited to what its client does: an agent's token pushes, a dashboard's token reads.
 */
public enum Scope {
    METRICS_READ("metrics:read"),
    METRICS_WRITE("metrics:write"),
    METRICS_DELETE("metrics:delete"),
    LOGS_READ("logs:read"),
    LOGS_WRITE("logs:write"),
    LOGS_DELETE("logs:delete"),
    RULES_READ("rules:read"),
    RULES_WRITE("rules:write"),
    ALERTS_READ("alerts:read"),
    ALERTS_WRITE("alerts:write"),
    ADMIN("admin");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    /** The name as it appears in a token's {@code scope} or {@code scopes} claim. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Scope> named(String name) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}

package io.authgateway.limits;

import io.authgateway.routing.RouteClass;

/**
 * The two classes limits count by. Writes change data (pushes, deletes, rule and Alertmanager
 * changes); everything else reads (queries, a PromQL POST included, tails, rule and alert reads).
 */
public enum LimitClass {
    WRITE("write"),
    READ("read");

    private final String label;

    LimitClass(String label) {
        this.label = label;
    }

    /** The metric and log label. */
    public String label() {
        return label;
    }

    public static LimitClass of(RouteClass routeClass) {
        return switch (routeClass) {
            case WRITE, DELETE, RULES_WRITE, ALERTS_WRITE -> WRITE;
            case READ, RULES_READ, ALERTS_READ, ADMIN -> READ;
        };
    }
}

package io.authgateway.routing;

/**
 * The Mimir/Loki components a route can send traffic to. The metric label is the Go gateways'
 * {@code targetname}, except that alertmanager traffic is labelled {@code alertmanager} (the fork
 * mislabelled it {@code ruler}).
 */
public enum Upstream {
    DISTRIBUTOR("distributor", "distributor", true),
    QUERY_FRONTEND("query-frontend", "query frontend", true),
    RULER("ruler", "ruler", false),
    ALERTMANAGER("alertmanager", "Alertmanager", false),
    QUERIER("querier", "querier", false);

    private final String label;
    private final String displayName;
    private final boolean required;

    Upstream(String label, String displayName, boolean required) {
        this.label = label;
        this.displayName = displayName;
        this.required = required;
    }

    /** {@code targetname} label value and the middle part of the address flag. */
    public String label() {
        return label;
    }

    public String displayName() {
        return displayName;
    }

    /** The address flag without dashes, e.g. {@code gateway.distributor.address}. */
    public String flagName() {
        return "gateway." + label + ".address";
    }

    /** Whether start-up fails without an address (as in cortex-gateway). */
    public boolean required() {
        return required;
    }
}

package io.authgateway.routing;


import java.util.List;

/**
 * Which Go binary this process stands in for. The mode decides the route table, the upstream
 * flags, the metric namespace and the names used in logs and traces.
 */
public enum Mode {
    MIMIR("mimir", "Mimir", List.of(Upstream.DISTRIBUTOR, Upstream.QUERY_FRONTEND, Upstream.RULER, Upstream.ALERTMANAGER)),
    LOKI("loki", "Loki", List.of(Upstream.DISTRIBUTOR, Upstream.QUERY_FRONTEND, Upstream.RULER, Upstream.QUERIER));

    private final String id;
    private final String displayName;
    private final List<Upstream> upstreams;

    Mode(String id, String displayName, List<Upstream> upstreams) {
        this.id = id;
        this.displayName = displayName;
        this.upstreams = upstreams;
    }

    /** {@code mimir} or {@code loki}, as given on the command line. */
    public String id() {
        return id;
    }

    /** The binary name an operator knows: {@code mimir-gateway} or {@code loki-gateway}. */
    public String binaryName() {
        return id + "-gateway";
    }

    /** Metric namespace of the Go fork: {@code mimir_auth_gateway} or {@code loki_auth_gateway}. */
    public String metricNamespace() {
        return id + "_auth_gateway";
    }

    /** Default OpenTelemetry service name. */
    public String serviceName() {
        return id + "-auth-gateway";
    }

    public String displayName() {
        return displayName;
    }

    /** The upstream components this mode can route to, in flag order. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    public static Mode parse(String id) {
        for (Mode mode : values()) {
            if (mode.id.equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + id + "', expected mimir or loki");
    }
}

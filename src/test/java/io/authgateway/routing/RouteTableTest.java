package io.authgateway.routing;

import io.authgateway.routing.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private final RouteTable mimir = RouteTable.forMode(Mode.MIMIR, true);
    private final RouteTable loki = RouteTable.forMode(Mode.LOKI, true);

    @ParameterizedTest
    @CsvSource({
            "/all_user_stats, DISTRIBUTOR",
            "/api/prom/push, DISTRIBUTOR",
            "/api/v1/push, DISTRIBUTOR",
            "/api/v1/push/influx/write, DISTRIBUTOR",
            "/otlp/v1/metrics, DISTRIBUTOR",
            "/prometheus/api/v1/alerts, RULER",
            "/prometheus/api/v1/rules/namespace, RULER",
            "/prometheus/config/v1/rules/ns/group, RULER",
            "/api/prom/api/v1/alerts, RULER",
            "/api/prom/api/v1/rules, RULER",
            "/api/v1/rules/ns, RULER",
            "/api/prom/rules/ns, RULER",
            "/prometheus/api/v1/query, QUERY_FRONTEND",
            "/prometheus/api/v1/query_range, QUERY_FRONTEND",
            "/api/v1/user_stats, QUERY_FRONTEND",
            "/api/v1/alerts, ALERTMANAGER",
            "/alertmanager/api/v2/silences, ALERTMANAGER",
            "/multitenant_alertmanager/status, ALERTMANAGER",
            "/api/prom/alertmanager/api/v1/status, ALERTMANAGER",
            "/api/prom/api/v1/query, QUERY_FRONTEND",
            "/apifoo, QUERY_FRONTEND",
            "/api/v1/push/other, QUERY_FRONTEND"})
    void mimirRoutesLikeTheForkPlusNewPushPaths(String path, Upstream expected) {
        assertThat(mimir.match(path).destination()).isEqualTo(new Destination.Proxy(expected));
    }

    @ParameterizedTest
    @CsvSource({
            "/all_user_stats, DISTRIBUTOR",
            "/loki/api/v1/push, DISTRIBUTOR",
            "/api/prom/push, DISTRIBUTOR",
            "/otlp/v1/logs, DISTRIBUTOR",
            "/loki/api/v1/tail, QUERIER",
            "/api/prom/tail, QUERIER",
            "/prometheus/api/v1/alerts, RULER",
            "/prometheus/api/v1/rules, RULER",
            "/api/prom/rules/ns, RULER",
            "/api/prom/alerts, RULER",
            "/loki/api/v1/rules, RULER",
            "/loki/api/v1/rules/ns/group, RULER",
            "/loki/api/v1/query_range, QUERY_FRONTEND",
            "/loki/api/v1/labels, QUERY_FRONTEND",
            "/api/prom/query, QUERY_FRONTEND",
            "/loki/api/v1/tail/extra, QUERY_FRONTEND"})
    void lokiRoutesLikeTheForkPlusRulerAndOtlp(String path, Upstream expected) {
        assertThat(loki.match(path).destination()).isEqualTo(new Destination.Proxy(expected));
    }

    @ParameterizedTest
    @CsvSource({"/health, HEALTH", "/ready, READY", "/metrics, METRICS", "/, NOT_FOUND", "/unknown, NOT_FOUND",
            "/healthz, NOT_FOUND", "/prometheus, NOT_FOUND", "/loki/api/v1/push, NOT_FOUND"})
    void localEndpointsAndUnknownPathsInMimir(String path, Destination.Local expected) {
        assertThat(mimir.match(path).destination()).isEqualTo(expected);
    }

    @Test
    void unknownPathsInLokiAreNotFound() {
        assertThat(loki.match("/api/v1/push").destination()).isEqualTo(Destination.Local.NOT_FOUND);
        assertThat(loki.match("/loki/api").destination()).isEqualTo(Destination.Local.NOT_FOUND);
    }

    @Test
    void metricsRouteExistsOnlyWithInstrumentation() {
        assertThat(RouteTable.forMode(Mode.MIMIR, false).match("/metrics").destination())
                .isEqualTo(Destination.Local.NOT_FOUND);
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/push, api_v1_push", "/prometheus/api, prometheus_api", "/api, api", "/, root",
            "/metrics, metrics", "/loki/api/, loki_api", "/multitenant_alertmanager/status, multitenant_alertmanager_status",
            "/api/v1/push/influx/write, api_v1_push_influx_write"})
    void labelsAreDerivedFromThePathLikeWeaveworks(String path, String label) {
        assertThat(Route.labelOf(path)).isEqualTo(label);
    }

    @Test
    void unmatchedRequestsCarryTheNotfoundLabel() {
        assertThat(mimir.match("/nothing/here").label()).isEqualTo("notfound");
        assertThat(mimir.match("/api/v1/push").label()).isEqualTo("api_v1_push");
    }
}

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
        assertThat(((Destination.Proxy) mimir.match(path).destination()).upstream()).isEqualTo(expected);
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
        assertThat(((Destination.Proxy) loki.match(path).destination()).upstream()).isEqualTo(expected);
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

    /** The table, route by route: every proxied route of the mimir table with a read and a write method. */
    @ParameterizedTest(name = "mimir {1} {0} is {2}")
    @CsvSource({
            "/all_user_stats, GET, ADMIN", "/all_user_stats, POST, ADMIN",
            "/api/prom/push, POST, WRITE", "/api/prom/push, GET, WRITE",
            "/api/v1/push, POST, WRITE", "/api/v1/push, DELETE, WRITE",
            "/api/v1/push/influx/write, POST, WRITE",
            "/otlp/v1/metrics, POST, WRITE", "/otlp/v1/metrics, GET, WRITE",
            "/prometheus/api/v1/alerts, GET, RULES_READ", "/prometheus/api/v1/alerts, POST, RULES_WRITE",
            "/prometheus/api/v1/rules, GET, RULES_READ", "/prometheus/api/v1/rules, HEAD, RULES_READ",
            "/prometheus/config/v1/rules/ns, GET, RULES_READ", "/prometheus/config/v1/rules/ns, POST, RULES_WRITE",
            "/prometheus/config/v1/rules/ns/g, DELETE, RULES_WRITE",
            "/api/prom/api/v1/alerts, GET, RULES_READ", "/api/prom/api/v1/rules, PUT, RULES_WRITE",
            "/api/v1/rules/ns, GET, RULES_READ", "/api/v1/rules/ns, POST, RULES_WRITE",
            "/api/prom/rules/ns, GET, RULES_READ", "/api/prom/rules/ns, DELETE, RULES_WRITE",
            "/prometheus/api/v1/admin/tsdb/delete_series, POST, DELETE",
            "/prometheus/api/v1/admin/tsdb/delete_series, GET, DELETE",
            "/api/v1/admin/tsdb/delete_series, PUT, DELETE",
            "/api/prom/api/v1/admin/tsdb/delete_series, POST, DELETE",
            "/prometheus/api/v1/query, GET, READ", "/prometheus/api/v1/query, POST, READ",
            "/prometheus/api/v1/series, DELETE, DELETE",
            "/prometheus/api/v1/query_range, POST, READ",
            "/api/v1/user_stats, GET, READ", "/api/v1/user_stats, DELETE, DELETE",
            "/api/v1/alerts, GET, ALERTS_READ", "/api/v1/alerts, POST, ALERTS_WRITE",
            "/alertmanager/api/v2/silences, GET, ALERTS_READ", "/alertmanager/api/v2/silences, POST, ALERTS_WRITE",
            "/alertmanager/api/v2/silence/1, DELETE, ALERTS_WRITE",
            "/multitenant_alertmanager/status, HEAD, ALERTS_READ",
            "/api/prom/alertmanager/api/v1/status, PUT, ALERTS_WRITE",
            "/api/prom/api/v1/query, POST, READ", "/api/prom/api/v1/query, DELETE, DELETE",
            "/apifoo, GET, READ"})
    void mimirRouteClasses(String path, String method, RouteClass expected) {
        assertThat(classOf(mimir, path, method)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "loki {1} {0} is {2}")
    @CsvSource({
            "/all_user_stats, GET, ADMIN",
            "/loki/api/v1/push, POST, WRITE", "/loki/api/v1/push, GET, WRITE",
            "/api/prom/push, POST, WRITE",
            "/otlp/v1/logs, POST, WRITE",
            "/loki/api/v1/tail, GET, READ", "/api/prom/tail, GET, READ",
            "/prometheus/api/v1/alerts, GET, RULES_READ", "/prometheus/api/v1/rules, POST, RULES_WRITE",
            "/api/prom/rules/ns, GET, RULES_READ", "/api/prom/rules/ns, DELETE, RULES_WRITE",
            "/api/prom/alerts, GET, RULES_READ", "/api/prom/alerts, POST, RULES_WRITE",
            "/loki/api/v1/rules, GET, RULES_READ", "/loki/api/v1/rules/ns, POST, RULES_WRITE",
            "/loki/api/v1/delete, POST, DELETE", "/loki/api/v1/delete, GET, DELETE", "/loki/api/v1/delete, DELETE, DELETE",
            "/loki/api/v1/query_range, GET, READ", "/loki/api/v1/query_range, POST, READ",
            "/loki/api/v1/labels, DELETE, DELETE",
            "/api/prom/query, GET, READ", "/api/prom/query, DELETE, DELETE"})
    void lokiRouteClasses(String path, String method, RouteClass expected) {
        assertThat(classOf(loki, path, method)).isEqualTo(expected);
    }

    private static RouteClass classOf(RouteTable table, String path, String method) {
        return ((Destination.Proxy) table.match(path).destination()).kind().classFor(method);
    }
}

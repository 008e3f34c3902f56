package io.authgateway.observability;

import io.authgateway.routing.Mode;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Known traffic through a real gateway, then a parsed scrape of /metrics. */
class MetricsWireTest {

    private static RecordingUpstream upstream;
    private static TestGateway gateway;
    private static Exposition scraped;
    private static HttpResponse<String> scrape;

    @BeforeAll
    static void sendKnownTraffic() throws Exception {
        upstream = new RecordingUpstream("up");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.alertmanager.address=" + upstream.base(), "-gateway.ruler.address=http://127.0.0.1:" + closedPort)
                .start();
        String tenantA = "Bearer " + Tokens.forTenant("tenant-a");
        for (int i = 0; i < 2; i++) {
            assertThat(gateway.send(gateway.request("/api/v1/push").header("Authorization", tenantA)
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000)))).statusCode()).isEqualTo(200);
        }
        assertThat(gateway.get("/prometheus/api/v1/query?query=up", "Authorization", "Bearer " + Tokens.forTenant("tenant-b"))
                .statusCode()).isEqualTo(200);
        assertThat(gateway.get("/alertmanager/api/v2/alerts", "Authorization", tenantA).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/prometheus/api/v1/rules", "Authorization", tenantA).statusCode()).isEqualTo(502);
        assertThat(gateway.get("/api/v1/push").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer junk").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/push", "Authorization",
                "Bearer " + Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":7}")).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/no/such/path").statusCode()).isEqualTo(404);
        // Request metrics are recorded once the answer is out, so wait for the last request's series.
        scrape = scrapeUntil(gateway, "/metrics", "mimir_auth_gateway", "notfound");
        scraped = Exposition.parse(scrape.body());
    }

    /**
     * Scrapes until the request on {@code route} is recorded and nothing but the scrape itself is in
     * flight: request metrics are recorded just after the answer has gone out.
     */
    private static HttpResponse<String> scrapeUntil(TestGateway target, String path, String namespace, String route)
            throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            HttpResponse<String> response = target.get(path);
            Exposition exposition = Exposition.parse(response.body());
            double busy = exposition.samples(namespace + "_inflight_requests").stream()
                    .filter(sample -> !"metrics".equals(sample.labels().get("route")))
                    .mapToDouble(Exposition.Sample::value).sum();
            boolean recorded = exposition.value(namespace + "_request_duration_seconds_count", "route", route).isPresent();
            if (recorded && busy == 0 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void metricsNeedNoTokenAndUseTheClassicTextFormat() {
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void requestDurationHasTheGoNamesLabelsAndBuckets() {
        String name = "mimir_auth_gateway_request_duration_seconds";
        assertThat(scraped.value(name + "_count", "method", "POST", "route", "api_v1_push", "status_code", "200", "ws", "false"))
                .contains(2.0);
        assertThat(scraped.value(name + "_count", "method", "GET", "route", "api_v1_push", "status_code", "401"))
                .contains(3.0);
        assertThat(scraped.value(name + "_count", "method", "GET", "route", "notfound", "status_code", "404")).contains(1.0);
        assertThat(scraped.value(name + "_count", "method", "GET", "route", "prometheus_api", "status_code", "200")).contains(1.0);
        assertThat(scraped.samples(name + "_bucket").stream()
                .filter(s -> s.labels().get("route").equals("api_v1_push") && s.labels().get("status_code").equals("200"))
                .map(s -> s.labels().get("le")))
                .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                        "25.0", "50.0", "100.0", "+Inf");
    }

    @Test
    void messageSizesAndInflightRequests() {
        assertThat(scraped.value("mimir_auth_gateway_request_message_bytes_sum", "method", "POST", "route", "api_v1_push"))
                .contains(2000.0);
        assertThat(scraped.value("mimir_auth_gateway_request_message_bytes_count", "method", "POST", "route", "api_v1_push"))
                .contains(2.0);
        assertThat(scraped.value("mimir_auth_gateway_response_message_bytes_sum", "method", "GET", "route", "notfound"))
                .contains((double) "404 page not found\n".length());
        assertThat(scraped.value("mimir_auth_gateway_inflight_requests", "method", "POST", "route", "api_v1_push")).contains(0.0);
    }

    @Test
    void proxyAndAuthenticationCountersKeepTheirCortexGatewayNames() {
        assertThat(scraped.value("cortex_gateway_proxy_requests_total", "targetname", "distributor")).contains(2.0);
        assertThat(scraped.value("cortex_gateway_proxy_requests_total", "targetname", "query-frontend")).contains(1.0);
        assertThat(scraped.value("cortex_gateway_proxy_requests_total", "targetname", "alertmanager")).contains(1.0);
        assertThat(scraped.value("cortex_gateway_failed_authentications_total", "reason", "no_token")).contains(1.0);
        assertThat(scraped.value("cortex_gateway_failed_authentications_total", "reason", "token_not_valid")).contains(1.0);
        assertThat(scraped.value("cortex_gateway_failed_authentications_total", "reason", "tenant_id_not_valid")).contains(1.0);
        assertThat(scraped.value("cortex_gateway_succeeded_authentications_total", "tenant", "tenant-a")).contains(4.0);
        assertThat(scraped.value("cortex_gateway_succeeded_authentications_total", "tenant", "tenant-b")).contains(1.0);
    }

    @Test
    void upstreamLatencyAndErrorsByTarget() {
        assertThat(scraped.value("mimir_auth_gateway_upstream_request_duration_seconds_count", "target", "distributor",
                "status_class", "2xx")).contains(2.0);
        assertThat(scraped.value("mimir_auth_gateway_upstream_errors_total", "target", "ruler", "kind", "connect")).contains(1.0);
    }

    @Test
    void connectionsJvmAndProcessMetrics() {
        assertThat(scraped.value("mimir_auth_gateway_tcp_connections", "protocol", "http")).hasValueSatisfying(v ->
                assertThat(v).isGreaterThanOrEqualTo(1.0));
        assertThat(scraped.value("mimir_auth_gateway_tcp_connections_limit", "protocol", "http")).contains(0.0);
        assertThat(scraped.has("jvm_memory_used_bytes")).isTrue();
        assertThat(scraped.has("jvm_threads_live_threads")).isTrue();
        assertThat(scraped.has("process_cpu_usage")).isTrue();
        assertThat(scraped.has("process_uptime_seconds")).isTrue();
    }

    @Test
    void openMetricsByContentNegotiation() throws Exception {
        HttpResponse<String> response = gateway.get("/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).endsWith("# EOF\n").contains("cortex_gateway_proxy_requests_total");
    }

    @Test
    void instrumentationCanBeTurnedOffAndTheTenantLabelDropped() throws Exception {
        try (TestGateway quiet = TestGateway.loki().upstream(upstream.base())
                .flags("-server.register-instrumentation=false").start()) {
            assertThat(quiet.get("/metrics").statusCode()).isEqualTo(404);
        }
        try (TestGateway noTenants = TestGateway.loki().upstream(upstream.base())
                .flags("-gateway.metrics.tenant-label=false", "-server.path-prefix=/gw").start()) {
            noTenants.get("/gw/loki/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("secret-customer"));
            String body = scrapeUntil(noTenants, "/gw/metrics", "loki_auth_gateway", "loki_api_v1_push").body();
            Exposition metrics = Exposition.parse(body);
            assertThat(metrics.value("cortex_gateway_succeeded_authentications_total")).contains(1.0);
            assertThat(body).doesNotContain("secret-customer");
            assertThat(metrics.value("loki_auth_gateway_request_duration_seconds_count", "route", "loki_api_v1_push"))
                    .contains(1.0);
        }
    }
}

package io.authgateway.observability;

import io.authgateway.routing.Mode;
import io.authgateway.testing.OtlpReceiver;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Spans exported over OTLP/HTTP to a real receiver on loopback, and trace context reaching the upstream. */
class TracingWireTest {

    private static OtlpReceiver receiver;
    private static RecordingUpstream upstream;
    private static TestGateway gateway;
    private static java.nio.file.Path audit;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        upstream = new RecordingUpstream("distributor");
        audit = java.nio.file.Files.createTempFile("tracing-audit", ".log");
        gateway = TestGateway.mimir().flags("-gateway.audit-log=" + audit)
                .environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_TRACES_SAMPLER",
                        "always_on", "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test"))
                .upstream(upstream.base()).start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        receiver.close();
    }

    @Test
    void serverAndClientSpansAreLinkedAndTheUpstreamJoinsTheTrace() throws Exception {
        assertThat(gateway.send(gateway.request("/api/v1/push?x=1").header("Authorization", "Bearer " + Tokens.forTenant("acme"))
                .POST(HttpRequest.BodyPublishers.ofString("body"))).statusCode()).isEqualTo(200);
        String traceparent = upstream.take().header("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
        String traceId = traceparent.split("-")[1];
        List<OtlpReceiver.ReceivedSpan> spans = receiver.await(span -> span.traceId().equals(traceId), 2);
        OtlpReceiver.ReceivedSpan server = spans.stream().filter(s -> s.kind() == 2).findFirst().orElseThrow();
        OtlpReceiver.ReceivedSpan client = spans.stream().filter(s -> s.kind() == 3).findFirst().orElseThrow();
        assertThat(server.name()).isEqualTo("POST /api/v1/push");
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.serviceName()).isEqualTo("mimir-auth-gateway");
        assertThat(server.attributes()).containsEntry("http.route", "/api/v1/push")
                .containsEntry("http.request.method", "POST")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("gateway.tenant", "acme")
                .containsEntry("gateway.upstream", "distributor");
        assertThat(client.parentSpanId()).isEqualTo(server.spanId());
        assertThat(client.attributes()).containsEntry("gateway.upstream", "distributor")
                .containsEntry("http.response.status_code", 200L);
        assertThat(traceparent.split("-")[2]).isEqualTo(client.spanId());
        assertThat(gateway.logs()).contains("trace_id=" + traceId);
    }

    @Test
    void anIncomingW3cTraceparentIsContinued() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        gateway.get("/prometheus/api/v1/query?query=up", "Authorization", "Bearer " + Tokens.forTenant("acme"),
                "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
        assertThat(upstream.take().headerValues("traceparent")).singleElement().asString().startsWith("00-" + traceId + "-");
        OtlpReceiver.ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId) && s.kind() == 2, 1).getFirst();
        assertThat(server.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(server.name()).isEqualTo("GET /prometheus/api");
        TestGateway.await(java.time.Duration.ofSeconds(10), "the audit line names the trace", () -> {
            try {
                return java.nio.file.Files.readString(audit).contains("\"request_id\":\"" + traceId + "\"");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aJaegerUberTraceIdIsContinued() throws Exception {
        String traceId = "0000000000000000a3ce929d0e0e4736";
        gateway.get("/prometheus/api/v1/labels", "Authorization", "Bearer " + Tokens.forTenant("acme"),
                "uber-trace-id", "a3ce929d0e0e4736:1234567890abcdef:0:1");
        upstream.take();
        OtlpReceiver.ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId) && s.kind() == 2, 1).getFirst();
        assertThat(server.parentSpanId()).isEqualTo("1234567890abcdef");
    }

    @Test
    void authenticationFailuresAreRecordedOnTheSpan() throws Exception {
        String traceId = "11111111111111111111111111111111";
        gateway.get("/api/v1/push", "Authorization", "Bearer junk", "traceparent", "00-" + traceId + "-2222222222222222-01");
        OtlpReceiver.ReceivedSpan server = receiver.await(s -> s.traceId().equals(traceId), 1).getFirst();
        assertThat(server.attributes()).containsEntry("gateway.auth.failure", "token_not_valid")
                .containsEntry("http.response.status_code", 401L);
    }

    @Test
    void withoutTracingEnvironmentNoExporterThreadStartsAndClientTraceHeadersPassThrough() throws Exception {
        long exportersBefore = exporterThreads();
        try (RecordingUpstream plain = new RecordingUpstream("plain");
             TestGateway untraced = TestGateway.loki().upstream(plain.base()).start()) {
            String incoming = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            untraced.get("/loki/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("t"), "traceparent", incoming);
            assertThat(plain.take().headerValues("traceparent")).containsExactly(incoming);
            assertThat(exporterThreads()).isEqualTo(exportersBefore);
            assertThat(untraced.logs()).contains("tracing off").doesNotContain("trace_id=");
        }
    }

    private static long exporterThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("BatchSpanProcessor")).count();
    }
}

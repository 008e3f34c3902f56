package io.authgateway.observability;

import io.authgateway.routing.Mode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TracingSettingsTest {

    @Test
    void offWhenNothingIsSet() {
        assertThat(TracingSettings.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x", "JAEGER_SAMPLER_TYPE", "const"), Mode.MIMIR))
                .isEmpty();
    }

    @Test
    void otlpEndpointGetsTheTracesPathAndTheModeServiceName() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318/"),
                Mode.LOKI).orElseThrow();
        assertThat(settings.tracesEndpoint()).isEqualTo(URI.create("http://otel:4318/v1/traces"));
        assertThat(settings.serviceName()).isEqualTo("loki-auth-gateway");
        assertThat(settings.sampler()).isEqualTo("parentbased_always_on");
        assertThat(settings.mapped()).isEmpty();
    }

    @Test
    void tracesEndpointIsUsedAsIsAndWinsOverTheGenericOne() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://b/custom/traces", "OTEL_SERVICE_NAME", "gw",
                "OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_RESOURCE_ATTRIBUTES", "k8s.namespace.name=mimir,team=obs"), Mode.MIMIR).orElseThrow();
        assertThat(settings.tracesEndpoint()).isEqualTo(URI.create("https://b/custom/traces"));
        assertThat(settings.serviceName()).isEqualTo("gw");
        assertThat(settings.sampler()).isEqualTo("traceidratio");
        assertThat(settings.samplerArg()).isEqualTo(0.25);
        assertThat(settings.resourceAttributes()).containsEntry("k8s.namespace.name", "mimir").containsEntry("team", "obs");
    }

    @Test
    void jaegerAgentHostMapsToOtlpOnPort4318WithANote() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of("JAEGER_AGENT_HOST", "jaeger-agent",
                "JAEGER_SERVICE_NAME", "cortex-gateway", "JAEGER_SAMPLER_TYPE", "probabilistic", "JAEGER_SAMPLER_PARAM", "0.1",
                "JAEGER_TAGS", "cluster=prod,region=eu"), Mode.MIMIR).orElseThrow();
        assertThat(settings.tracesEndpoint()).isEqualTo(URI.create("http://jaeger-agent:4318/v1/traces"));
        assertThat(settings.serviceName()).isEqualTo("cortex-gateway");
        assertThat(settings.sampler()).isEqualTo("parentbased_traceidratio");
        assertThat(settings.samplerArg()).isEqualTo(0.1);
        assertThat(settings.resourceAttributes()).containsEntry("cluster", "prod").containsEntry("region", "eu");
        assertThat(settings.mapped()).anySatisfy(note -> assertThat(note).contains("JAEGER_AGENT_HOST=jaeger-agent"));
    }

    @Test
    void jaegerCollectorEndpointMapsToTheSameHostsOtlpPort() {
        TracingSettings settings = TracingSettings.fromEnvironment(Map.of("JAEGER_ENDPOINT",
                "http://jaeger-collector:14268/api/traces", "JAEGER_SAMPLER_TYPE", "const", "JAEGER_SAMPLER_PARAM", "0"),
                Mode.MIMIR).orElseThrow();
        assertThat(settings.tracesEndpoint()).isEqualTo(URI.create("http://jaeger-collector:4318/v1/traces"));
        assertThat(settings.sampler()).isEqualTo("parentbased_always_off");
    }
}

package io.authgateway.observability;

import com.sun.net.httpserver.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * OpenTelemetry for the gateway: one server span per request and one client span per upstream
 * call, exported over OTLP/HTTP (Jaeger ingests OTLP natively) with the JDK HttpClient sender.
 * W3C {@code traceparent} and Jaeger {@code uber-trace-id} continue an incoming trace; the
 * upstream gets a {@code traceparent}. When disabled it is a no-op that starts no thread.
 */
public final class GatewayTracing implements AutoCloseable {

    /** Headers this class writes on the upstream request; client copies are not forwarded when enabled. */
    public static final Set<String> PROPAGATION_HEADERS = Set.of("traceparent", "tracestate", "uber-trace-id");

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final SdkTracerProvider provider;

    private GatewayTracing(Tracer tracer, TextMapPropagator propagator, SdkTracerProvider provider) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.provider = provider;
    }

    public static GatewayTracing disabled() {
        return new GatewayTracing(OpenTelemetry.noop().getTracer("auth-gateway"), TextMapPropagator.noop(), null);
    }

    public static GatewayTracing create(TracingSettings settings) {
        AttributesBuilder resource = Attributes.builder().put("service.name", settings.serviceName());
        settings.resourceAttributes().forEach(resource::put);
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesEndpoint().toString())
                .setTimeout(Duration.ofSeconds(10))
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setSampler(sampler(settings.sampler(), settings.samplerArg()))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build())
                .build();
        TextMapPropagator propagator = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                JaegerPropagator.getInstance());
        return new GatewayTracing(provider.get("io.authgateway"), propagator, provider);
    }

    public boolean enabled() {
        return provider != null;
    }

    /**
     * Starts the server span of a request, continuing the client's trace if it sent one; the
     * invalid span, at no cost, when tracing is off.
     */
    public Span startServerSpan(Headers requestHeaders, String name, String method, String route) {
        if (provider == null) {
            return Span.getInvalid();
        }
        Context parent = propagator.extract(Context.root(), requestHeaders, HEADERS);
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("http.route", route)
                .startSpan();
    }

    /** Starts the client span of the upstream call under {@code parent}. */
    public Span startClientSpan(Span parent, String method, String target, String url) {
        if (provider == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(method).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", method)
                .setAttribute("gateway.upstream", target)
                .setAttribute("url.full", url)
                .startSpan();
    }

    /** Writes the propagation headers for {@code span} (nothing when disabled). */
    public void inject(Span span, BiConsumer<String, String> sink) {
        propagator.inject(Context.root().with(span), sink, (carrier, key, value) -> carrier.accept(key, value));
    }

    /** Lower-case names of client headers to withhold upstream because this class sets them. */
    public Set<String> replacedHeaders() {
        return enabled() ? PROPAGATION_HEADERS : Set.of();
    }

    private static Sampler sampler(String name, double ratio) {
        return switch (name) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> Sampler.parentBased(Sampler.alwaysOn());
        };
    }

    /** Log fields {@code trace_id} and {@code span_id} of a sampled span, empty otherwise. */
    public static List<Object> logFields(Span span) {
        var context = span.getSpanContext();
        if (!context.isValid()) {
            return List.of();
        }
        return List.of("trace_id", context.getTraceId(), "span_id", context.getSpanId());
    }

    /** Flushes what is buffered and stops the exporter thread. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

package io.authgateway.observability;

import io.authgateway.routing.Mode;
import io.authgateway.routing.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's Prometheus metrics, with the Go gateways' names and labels (reference §6) so
 * existing dashboards keep working, plus upstream latency/errors and JVM/process metrics. Label
 * values come from bounded sets only: route labels from the route table, normalised methods,
 * fixed reasons; the per-tenant label can be switched off.
 */
public final class GatewayMetrics {

    private static final Duration[] DURATION_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 50, 100);
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"};
    private static final double MIB = 1024 * 1024;
    private static final double[] SIZE_BUCKETS = {MIB, 2.5 * MIB, 5 * MIB, 10 * MIB, 25 * MIB, 50 * MIB, 100 * MIB, 250 * MIB};

    private final PrometheusMeterRegistry registry;
    private final String namespace;
    private final boolean tenantLabel;
    private final Map<RouteKey, RouteMeters> routes = new ConcurrentHashMap<>();
    private final Map<String, Counter> succeededAuth = new ConcurrentHashMap<>();
    private final Map<Upstream, Counter> proxied = new ConcurrentHashMap<>();
    private final Map<String, Counter> failedAuth = new ConcurrentHashMap<>();
    private final Map<String, Counter> authorizationDenials = new ConcurrentHashMap<>();
    private final Map<String, Counter> observedRejections = new ConcurrentHashMap<>();
    /** By {@code upstream.ordinal() * 10 + status / 100}, made on first use. */
    private final AtomicReferenceArray<Timer> upstreamDurations =
            new AtomicReferenceArray<>(Upstream.values().length * STATUS_CLASSES.length);
    private final Map<UpstreamKey, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final Map<LimitedKey, Counter> limited = new ConcurrentHashMap<>();
    private final Counter succeededAuthWithoutTenant;
    private final Thread runtimeBinder;

    public GatewayMetrics(Mode mode, boolean tenantLabel) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.namespace = mode.metricNamespace();
        this.tenantLabel = tenantLabel;
        this.succeededAuthWithoutTenant = tenantLabel ? null
                : Counter.builder("cortex_gateway_succeeded_authentications")
                .description("Requests that passed authentication").register(registry);
        // The JVM and process binders read platform MXBeans, which loads and runs a few hundred
        // classes of java.management: about 30 ms that need not delay readiness. They bind on a
        // thread of their own while the gateway starts; a scrape waits for them (see scrape).
        this.runtimeBinder = Thread.ofVirtual().name("runtime-metrics-binder").start(this::bindRuntimeMetrics);
    }

    private void bindRuntimeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The meters of one method and route, looked up once per request: the in-flight gauge, the
     * message sizes and the duration timers by status and {@code ws}. Use {@link RouteMeters#started}
     * and {@link RouteMeters#finished}.
     */
    public RouteMeters route(String method, String route) {
        return routes.computeIfAbsent(new RouteKey(method, route), key -> new RouteMeters(method, route));
    }

    private record RouteKey(String method, String route) {
    }

    /** An upstream and a status class ({@code 2xx}) or an error kind. */
    private record UpstreamKey(Upstream upstream, String label) {
    }

    /** The meters of one method and route. */
    public final class RouteMeters {
        private static final int STATUSES = 1000;

        private final String method;
        private final String route;
        private final AtomicInteger inflight = new AtomicInteger();
        private final DistributionSummary requestSizes;
        private final DistributionSummary responseSizes;
        /** Timers by {@code status * 2 + ws}, made on first use. */
        private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(STATUSES * 2);

        private RouteMeters(String method, String route) {
            this.method = method;
            this.route = route;
            Gauge.builder(namespace + "_inflight_requests", inflight, AtomicInteger::get)
                    .description("Current number of inflight requests.")
                    .tags("method", method, "route", route).register(registry);
            this.requestSizes = sizeSummary("_request_message", "Size (in bytes) of messages received in the request.", method, route);
            this.responseSizes = sizeSummary("_response_message", "Size (in bytes) of messages sent in response.", method, route);
        }

        /** Marks a request as started; pair with {@link #finished}. */
        public void started() {
            inflight.incrementAndGet();
        }

        public void finished(boolean ws, int status, Duration took, long requestBytes, long responseBytes) {
            duration(Math.clamp(status, 0, STATUSES - 1), ws).record(took);
            requestSizes.record(requestBytes);
            responseSizes.record(responseBytes);
            // Last, so an in-flight count of zero means every finished request is fully recorded.
            inflight.decrementAndGet();
        }

        private Timer duration(int status, boolean ws) {
            int slot = status * 2 + (ws ? 1 : 0);
            Timer timer = durations.get(slot);
            if (timer == null) {
                timer = Timer.builder(namespace + "_request_duration")
                        .description("Time (in seconds) spent serving HTTP requests.")
                        .tags("method", method, "route", route, "status_code", Integer.toString(status), "ws", Boolean.toString(ws))
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry); // the registry returns the same timer to a second caller
                durations.set(slot, timer);
            }
            return timer;
        }
    }

    public void proxied(Upstream upstream) {
        proxied.computeIfAbsent(upstream, u -> Counter.builder("cortex_gateway_proxy_requests")
                .description("Requests proxied to an upstream component")
                .tag("targetname", u.label()).register(registry)).increment();
    }

    /** @param reason a label from a fixed set (the reject reasons) */
    public void authenticationFailed(String reason) {
        failedAuth.computeIfAbsent(reason, r -> Counter.builder("cortex_gateway_failed_authentications")
                .description("Requests that failed authentication, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    /** Registers the denial counters at zero, so that dashboards and alerts see them before the first denial. */
    public void declareAuthorizationReasons(List<String> reasons) {
        reasons.forEach(this::authorizationDenials);
    }

    /** @param reason a label from a fixed set (the deny reasons) */
    public void authorizationDenied(String reason) {
        authorizationDenials(reason).increment();
    }

    private Counter authorizationDenials(String reason) {
        return authorizationDenials.computeIfAbsent(reason, r -> Counter.builder("cortex_gateway_authorization_denials")
                .description("Authenticated requests refused by the access rules (scope, tenant), by reason")
                .tag("reason", r).register(registry));
    }

    /** Observe-only mode: a request that would have been refused for {@code reason} (a fixed label) was forwarded. */
    public void observedRejection(String reason) {
        observedRejections.computeIfAbsent(reason, r -> Counter.builder("cortex_gateway_observed_rejections")
                .description("Requests observe-only mode forwarded although authentication or authorization would refuse them, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    /** Called once per tenant a request was forwarded for: the label only ever holds one tenant ID. */
    public void authenticationSucceeded(String tenant) {
        if (!tenantLabel) {
            succeededAuthWithoutTenant.increment();
            return;
        }
        succeededAuth.computeIfAbsent(tenant, t -> Counter.builder("cortex_gateway_succeeded_authentications")
                .description("Requests that passed authentication, by tenant")
                .tag("tenant", t).register(registry)).increment();
    }

    /**
     * A request refused by a per-tenant limit: {@code cortex_gateway_limited_requests_total{class,limit}},
     * with a {@code tenant} label under {@code -gateway.metrics.tenant-label}.
     *
     * @param limitClass {@code write} or {@code read}
     * @param limit      {@code requests}, {@code bytes} or {@code inflight}
     */
    public void limited(String limitClass, String limit, String tenant) {
        String tenantValue = tenantLabel ? tenant : "";
        limited.computeIfAbsent(new LimitedKey(limitClass, limit, tenantValue), key -> {
            Counter.Builder builder = Counter.builder("cortex_gateway_limited_requests")
                    .description("Requests refused by a per-tenant limit (429), by class and limit")
                    .tags("class", key.limitClass(), "limit", key.limit());
            return (tenantLabel ? builder.tag("tenant", key.tenant()) : builder).register(registry);
        }).increment();
    }

    private record LimitedKey(String limitClass, String limit, String tenant) {
    }

    /** One upstream answer (headers received), by target and status class such as {@code 2xx}. */
    public void upstreamAnswered(Upstream upstream, int status, Duration took) {
        int slot = upstream.ordinal() * STATUS_CLASSES.length + Math.clamp(status / 100, 0, 9);
        Timer timer = upstreamDurations.get(slot);
        if (timer == null) {
            timer = Timer.builder(namespace + "_upstream_request_duration")
                    .description("Time until an upstream's response headers arrived, by target and status class")
                    .tags("target", upstream.label(), "status_class", STATUS_CLASSES[slot % STATUS_CLASSES.length])
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry); // the registry returns the same timer to a second caller
            upstreamDurations.set(slot, timer);
        }
        timer.record(took);
    }

    /** An upstream call that failed: {@code connect}, {@code timeout}, {@code reset} or {@code request}. */
    public void upstreamFailed(Upstream upstream, String kind) {
        upstreamErrors.computeIfAbsent(new UpstreamKey(upstream, kind), key -> Counter.builder(namespace + "_upstream_errors")
                .description("Upstream calls that failed, by target and kind")
                .tags("target", key.upstream().label(), "kind", key.label()).register(registry)).increment();
    }

    /** Registers a gauge read on every scrape (connection counts, open tails, JWKS state). */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    /** Registers a counter whose value is read from {@code source} on every scrape. */
    public <T> void functionCounter(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
        FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
    }

    /** The exposition in the format the {@code Accept} header asks for (OpenMetrics or text 0.0.4). */
    public Exposition scrape(String accept) {
        awaitRuntimeMetrics();
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        return new Exposition(contentType, registry.scrape(contentType));
    }

    /** So that no scrape, not even the first, misses the JVM and process metrics. */
    private void awaitRuntimeMetrics() {
        try {
            runtimeBinder.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public record Exposition(String contentType, String body) {
    }

    private DistributionSummary sizeSummary(String suffix, String description, String method, String route) {
        return DistributionSummary.builder(namespace + suffix)
                .description(description).baseUnit("bytes")
                .tags("method", method, "route", route)
                .serviceLevelObjectives(SIZE_BUCKETS)
                .register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }
}

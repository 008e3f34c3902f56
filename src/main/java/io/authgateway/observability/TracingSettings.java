package io.authgateway.observability;

import io.authgateway.routing.Mode;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how traces are exported, read from the standard OpenTelemetry environment and, for
 * operators migrating from the Go gateways, from the Jaeger client's {@code JAEGER_*} variables,
 * which are mapped onto the OTLP/HTTP exporter. With none of them set, tracing is off.
 *
 * @param tracesEndpoint     full OTLP/HTTP traces URL, e.g. {@code http://jaeger:4318/v1/traces}
 * @param serviceName        {@code service.name}
 * @param sampler            OpenTelemetry sampler name ({@code parentbased_always_on}, ...)
 * @param samplerArg         its argument (ratio), 1.0 if none
 * @param resourceAttributes extra resource attributes
 * @param mapped             human-readable notes on what was mapped from {@code JAEGER_*}
 */
public record TracingSettings(URI tracesEndpoint, String serviceName, String sampler, double samplerArg,
                              Map<String, String> resourceAttributes, List<String> mapped) {

    public TracingSettings {
        resourceAttributes = Map.copyOf(resourceAttributes);
        mapped = List.copyOf(mapped);
    }

    public static Optional<TracingSettings> fromEnvironment(Map<String, String> env, Mode mode) {
        List<String> mapped = new ArrayList<>();
        Optional<URI> endpoint = endpoint(env, mapped);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        String service = first(env, "OTEL_SERVICE_NAME").orElse(null);
        if (service == null) {
            service = first(env, "JAEGER_SERVICE_NAME").orElse(mode.serviceName());
            if (env.containsKey("JAEGER_SERVICE_NAME")) {
                mapped.add("JAEGER_SERVICE_NAME -> service.name=" + service);
            }
        }
        String[] sampler = sampler(env, mapped);
        Map<String, String> attributes = new LinkedHashMap<>();
        first(env, "JAEGER_TAGS").ifPresent(tags -> {
            attributes.putAll(keyValues(tags));
            mapped.add("JAEGER_TAGS -> resource attributes");
        });
        first(env, "OTEL_RESOURCE_ATTRIBUTES").ifPresent(tags -> attributes.putAll(keyValues(tags)));
        return Optional.of(new TracingSettings(endpoint.get(), service, sampler[0], parseRatio(sampler[1]), attributes, mapped));
    }

    private static Optional<URI> endpoint(Map<String, String> env, List<String> mapped) {
        Optional<String> traces = first(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (traces.isPresent()) {
            return Optional.of(URI.create(traces.get()));
        }
        Optional<String> base = first(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
        if (base.isPresent()) {
            return Optional.of(URI.create(stripSlash(base.get()) + "/v1/traces"));
        }
        Optional<String> jaegerEndpoint = first(env, "JAEGER_ENDPOINT");
        if (jaegerEndpoint.isPresent()) {
            URI collector = URI.create(jaegerEndpoint.get());
            URI otlp = URI.create((collector.getScheme() == null ? "http" : collector.getScheme()) + "://"
                    + collector.getHost() + ":4318/v1/traces");
            mapped.add("JAEGER_ENDPOINT=" + jaegerEndpoint.get() + " -> OTLP " + otlp);
            return Optional.of(otlp);
        }
        Optional<String> agentHost = first(env, "JAEGER_AGENT_HOST");
        if (agentHost.isPresent()) {
            URI otlp = URI.create("http://" + agentHost.get() + ":4318/v1/traces");
            mapped.add("JAEGER_AGENT_HOST=" + agentHost.get() + " -> OTLP " + otlp);
            return Optional.of(otlp);
        }
        return Optional.empty();
    }

    /** Returns {sampler, argument}. */
    private static String[] sampler(Map<String, String> env, List<String> mapped) {
        Optional<String> otel = first(env, "OTEL_TRACES_SAMPLER");
        if (otel.isPresent()) {
            return new String[] {otel.get().toLowerCase(Locale.ROOT), first(env, "OTEL_TRACES_SAMPLER_ARG").orElse("1.0")};
        }
        Optional<String> jaegerType = first(env, "JAEGER_SAMPLER_TYPE");
        if (jaegerType.isEmpty()) {
            return new String[] {"parentbased_always_on", "1.0"};
        }
        String param = first(env, "JAEGER_SAMPLER_PARAM").orElse("1");
        String[] result = switch (jaegerType.get()) {
            case "const" -> new String[] {parseRatio(param) >= 1 ? "parentbased_always_on" : "parentbased_always_off", "1.0"};
            case "probabilistic" -> new String[] {"parentbased_traceidratio", param};
            default -> new String[] {"parentbased_always_on", "1.0"};
        };
        mapped.add("JAEGER_SAMPLER_TYPE=" + jaegerType.get() + " JAEGER_SAMPLER_PARAM=" + param + " -> " + result[0]
                + (result[0].endsWith("ratio") ? " " + result[1] : ""));
        return result;
    }

    private static double parseRatio(String text) {
        try {
            double ratio = Double.parseDouble(text.trim());
            return Double.isNaN(ratio) ? 1.0 : Math.max(0, Math.min(1, ratio));
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private static Optional<String> first(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String stripSlash(String text) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}

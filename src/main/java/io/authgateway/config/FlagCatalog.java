package io.authgateway.config;

import io.authgateway.routing.Mode;
import io.authgateway.routing.Upstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.authgateway.config.FlagKind.BOOL;
import static io.authgateway.config.FlagKind.DURATION;
import static io.authgateway.config.FlagKind.IGNORED;
import static io.authgateway.config.FlagKind.INT;
import static io.authgateway.config.FlagKind.STRING;

/**
 * Every flag one binary accepts, in the order {@code -help} prints them. The names and defaults
 * are those of the Go gateways (reference §1) plus the flags this gateway adds.
 */
public final class FlagCatalog {

    private final List<FlagSpec> specs;
    private final Map<String, FlagSpec> byName;

    private FlagCatalog(List<FlagSpec> specs) {
        this.specs = List.copyOf(specs);
        Map<String, FlagSpec> index = new HashMap<>();
        for (FlagSpec spec : specs) {
            index.put(spec.name(), spec);
            spec.aliases().forEach(alias -> index.put(alias, spec));
        }
        this.byName = Map.copyOf(index);
    }

    public static FlagCatalog forMode(Mode mode) {
        List<FlagSpec> specs = new ArrayList<>();
        for (Upstream upstream : mode.upstreams()) {
            FlagSpec spec = FlagSpec.of(upstream.flagName(), STRING, "",
                    "Upstream HTTP URL of the " + upstream.displayName()
                            + (upstream.required() ? " (required)" : " (optional: its routes answer 404 when unset)"));
            specs.add(upstream == Upstream.RULER ? spec.alias("gateway.rules.address") : spec);
        }
        specs.add(FlagSpec.of("gateway.upstream.timeout", DURATION, "2m",
                "Time an upstream has to send its response headers before the gateway answers 504;"
                        + " the default of the two timeouts below"));
        specs.add(FlagSpec.of("gateway.upstream.push-timeout", DURATION, "",
                "Timeout for the distributor (pushes); unset: -gateway.upstream.timeout"));
        specs.add(FlagSpec.of("gateway.upstream.query-timeout", DURATION, "",
                "Timeout for the query-frontend, querier, ruler and Alertmanager; unset: -gateway.upstream.timeout"));
        specs.add(FlagSpec.of("gateway.upstream.dial-timeout", DURATION, "5s",
                "Time to open a TCP connection to an upstream before the gateway answers 502"));
        specs.add(FlagSpec.of("gateway.upstream.client", STRING, "socket",
                "HTTP client for upstream traffic: socket (the gateway's own HTTP/1.1 client with a keep-alive pool, plain or TLS) or jdk (java.net.http)"));
        specs.addAll(TlsFlags.upstream());
        specs.add(FlagSpec.of("gateway.server", STRING, "socket",
                "HTTP server for client traffic: socket, the gateway's own HTTP/1.1 server, a virtual thread per connection (the only one; jdk is refused, see docs/design.md)"));
        specs.addAll(AuthFlags.gateway());
        specs.add(FlagSpec.of(AuditSettings.FLAG, STRING, "",
                "Audit log: one JSON line per request on a proxied route (who, which tenant, allowed or denied and why; "
                        + "never a token or a query); - for standard output, or a file to append to (reopened after "
                        + "logrotate moves or truncates it); unset: off"));
        specs.add(FlagSpec.of("gateway.metrics.tenant-label", BOOL, "true",
                "Label cortex_gateway_succeeded_authentications_total by tenant (one series per tenant)"));
        specs.addAll(LimitFlags.all());
        specs.add(FlagSpec.of("server.http-listen-address", STRING, "", "HTTP server listen address (empty: all interfaces)"));
        specs.add(FlagSpec.of("server.http-listen-network", STRING, "tcp", "HTTP server listen network, only tcp is supported"));
        specs.add(FlagSpec.of("server.http-listen-port", INT, "80", "HTTP server listen port"));
        specs.add(FlagSpec.of("server.http-conn-limit", INT, "0", "Maximum number of simultaneous HTTP connections, 0 = no limit"));
        specs.addAll(TlsFlags.listener());
        specs.add(FlagSpec.of("server.graceful-shutdown-timeout", DURATION, "30s",
                "Time in-flight requests have to finish after SIGTERM/SIGINT"));
        specs.add(FlagSpec.of("server.http-read-timeout", DURATION, "30s",
                "Time a client has to send a whole request, headers and body (whole seconds)"));
        specs.add(FlagSpec.of("server.http-write-timeout", DURATION, "30s",
                "Time one write of the response to the client may stall; a response that keeps flowing is never cut"));
        specs.add(FlagSpec.of("server.http-idle-timeout", DURATION, "120s", "Time an idle keep-alive connection is kept open"));
        specs.add(FlagSpec.of("server.path-prefix", STRING, "", "Prefix for every route, including /health, /ready and /metrics"));
        specs.add(FlagSpec.of("server.register-instrumentation", BOOL, "true", "Serve /metrics"));
        specs.add(FlagSpec.of("log.level", STRING, "info", "Only log messages with the given severity or above: debug, info, warn, error"));
        specs.add(FlagSpec.of("log.format", STRING, "logfmt", "Output log messages in the given format: logfmt, json"));
        for (String grpc : List.of("server.grpc-listen-address", "server.grpc-listen-network", "server.grpc-listen-port",
                "server.grpc-conn-limit", "server.grpc-tls-cert-path", "server.grpc-tls-key-path",
                "server.grpc-tls-client-auth", "server.grpc-tls-ca-path", "server.grpc-max-recv-msg-size-bytes",
                "server.grpc-max-send-msg-size-bytes", "server.grpc-max-concurrent-streams",
                "server.grpc.keepalive.max-connection-idle", "server.grpc.keepalive.max-connection-age",
                "server.grpc.keepalive.max-connection-age-grace", "server.grpc.keepalive.time",
                "server.grpc.keepalive.timeout", "server.grpc.keepalive.min-time-between-pings",
                "server.grpc.keepalive.ping-without-stream-allowed")) {
            specs.add(FlagSpec.of(grpc, IGNORED, "", "Accepted for compatibility and ignored: this gateway has no gRPC listener"));
        }
        return new FlagCatalog(specs);
    }

    /** A catalog of the given flags, for a sub-command such as {@code token}. */
    public static FlagCatalog of(List<FlagSpec> specs) {
        return new FlagCatalog(specs);
    }

    public Optional<FlagSpec> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<FlagSpec> specs() {
        return specs;
    }

    /** The {@code -help} text: every flag with its default and meaning, Go style. */
    public String usage(String binaryName) {
        StringBuilder out = new StringBuilder("Usage of ").append(binaryName).append(":\n");
        for (FlagSpec spec : specs) {
            if (spec.kind() == IGNORED) {
                continue;
            }
            out.append("  -").append(spec.name());
            if (spec.kind() != BOOL) {
                out.append(' ').append(spec.kind() == DURATION ? "duration" : spec.kind() == INT ? "int"
                        : spec.kind() == FlagKind.FLOAT ? "float" : "string");
            }
            out.append("\n    \t").append(spec.help());
            if (!spec.defaultValue().isEmpty()) {
                out.append(" (default ").append(spec.kind() == STRING ? "\"" + spec.defaultValue() + "\"" : spec.defaultValue()).append(')');
            }
            for (String alias : spec.aliases()) {
                out.append("\n    \tAlso accepted as -").append(alias).append('.');
            }
            out.append('\n');
        }
        out.append("  -server.grpc-*\n    \tAccepted for compatibility and ignored (no gRPC listener)\n");
        return out.toString();
    }
}

package io.authgateway.config;

import io.authgateway.routing.Mode;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.Upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a command line into a validated {@link GatewayConfig}. Every problem is collected, so an
 * operator sees all of them at once, each naming the flag and the value.
 */
public final class ConfigLoader {

    private final Mode mode;
    private final FlagCatalog catalog;
    private final Map<String, String> env;

    public ConfigLoader(Mode mode) {
        this(mode, System.getenv());
    }

    /** @param env the process environment, for {@code GATEWAY_AUTH_JWT_SECRET} */
    public ConfigLoader(Mode mode, Map<String, String> env) {
        this.mode = mode;
        this.catalog = FlagCatalog.forMode(mode);
        this.env = Map.copyOf(env);
    }

    public LoadResult load(List<String> args) {
        ParsedFlags flags = new FlagParser(catalog).parse(args);
        if (flags.helpRequested()) {
            return new LoadResult.HelpRequested(catalog.usage(mode.binaryName()));
        }
        List<String> problems = new ArrayList<>(flags.errors());
        Map<Upstream, URI> addresses = upstreamAddresses(flags, problems);
        TlsSettingsLoader tls = new TlsSettingsLoader(flags, problems);
        ServerSettings server = serverSettings(flags, problems, tls.listener());
        checkServer(flags, problems);
        AuthSettings auth = new AuthSettingsLoader(flags, env, problems).load();
        LogSettings log = logSettings(flags, problems);
        AuditSettings audit = auditSettings(flags, problems);
        LimitSettings limits = new LimitSettingsLoader(flags, problems).load();
        Duration timeout = positive(flags, "gateway.upstream.timeout", problems);
        UpstreamSettings upstreams = new UpstreamSettings(addresses, timeout,
                positive(flags, "gateway.upstream.dial-timeout", problems),
                orDefault(flags, "gateway.upstream.push-timeout", timeout, problems),
                orDefault(flags, "gateway.upstream.query-timeout", timeout, problems), client(flags, problems),
                tls.upstream());
        if (!problems.isEmpty()) {
            return new LoadResult.Invalid(problems);
        }
        MetricsSettings metrics = new MetricsSettings(flags.bool("gateway.metrics.tenant-label"));
        return new LoadResult.Loaded(new GatewayConfig(mode, server, upstreams, auth, log, metrics, audit, limits),
                flags.warnings());
    }

    private Map<Upstream, URI> upstreamAddresses(ParsedFlags flags, List<String> problems) {
        Map<Upstream, URI> addresses = new EnumMap<>(Upstream.class);
        for (Upstream upstream : mode.upstreams()) {
            String value = flags.string(upstream.flagName()).trim();
            if (value.isEmpty()) {
                if (upstream.required()) {
                    problems.add("you must set -" + upstream.flagName());
                }
                continue;
            }
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new URISyntaxException(value, "not an http(s) base URL");
                }
                addresses.put(upstream, uri);
            } catch (URISyntaxException e) {
                problems.add("-" + upstream.flagName() + ": " + upstream.displayName()
                        + " address must start with a valid scheme (http/https) and name a host. Given is '" + value + "'");
            }
        }
        return addresses;
    }

    private static ServerSettings serverSettings(ParsedFlags flags, List<String> problems,
                                                 Optional<ListenerTlsSettings> tls) {
        long port = flags.integer("server.http-listen-port");
        if (port < 0 || port > 65535) {
            problems.add("invalid value \"" + port + "\" for flag -server.http-listen-port: must be 0..65535");
        }
        long connLimit = flags.integer("server.http-conn-limit");
        if (connLimit < 0 || connLimit > Integer.MAX_VALUE) {
            problems.add("invalid value \"" + connLimit + "\" for flag -server.http-conn-limit: must be 0 (no limit) or more");
        }
        String network = flags.string("server.http-listen-network");
        if (!network.equals("tcp") && !network.equals("tcp4") && !network.equals("tcp6")) {
            problems.add("invalid value \"" + network + "\" for flag -server.http-listen-network: only tcp is supported");
        }
        String prefix = flags.string("server.path-prefix");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.contains("?") || prefix.contains("#"))) {
            problems.add("invalid value \"" + prefix + "\" for flag -server.path-prefix: must start with /");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        Duration read = positive(flags, "server.http-read-timeout", problems);
        if (read.toSeconds() < 1 && read.isPositive()) {
            problems.add("invalid value \"" + GoDuration.format(read) + "\" for flag -server.http-read-timeout: must be at least 1s");
        }
        return new ServerSettings(flags.string("server.http-listen-address"), (int) port,
                nonNegative(flags, "server.graceful-shutdown-timeout", problems), read,
                positive(flags, "server.http-write-timeout", problems),
                positive(flags, "server.http-idle-timeout", problems),
                (int) Math.max(0, Math.min(connLimit, Integer.MAX_VALUE)), prefix,
                flags.bool("server.register-instrumentation"), tls);
    }

    /**
     * {@code -gateway.server}: {@code socket}, the gateway's own server, is the only one. The JDK's
     * built-in server was an option until tried over raw sockets: it takes the headers of the next
     * request for a request line ending in a bare LF, reads chunk sizes modulo 2^32 and parses the
     * unread rest of a refused request's body as a new request, none of which a gateway above it
     * can make safe in front of a multi-tenant backend (docs/design.md).
     */
    private static void checkServer(ParsedFlags flags, List<String> problems) {
        String server = flags.string("gateway.server");
        if (server.equals("jdk")) {
            problems.add("-gateway.server=jdk is no longer supported: the JDK's built-in HTTP server mis-frames malformed"
                    + " requests (bare LF line ends, chunk sizes over 2^32, the body of a refused request), which can"
                    + " hand one client's request to another's identity; remove the flag, the gateway's own server is the only one");
        } else if (!server.equals("socket")) {
            problems.add("invalid value \"" + server + "\" for flag -gateway.server: expected socket");
        }
    }

    private static UpstreamSettings.Client client(ParsedFlags flags, List<String> problems) {
        return choice(flags, "gateway.upstream.client", UpstreamSettings.Client::parse, "jdk or socket",
                UpstreamSettings.Client.JDK, problems);
    }

    /** A flag with a fixed set of values; a bad one is a problem naming the flag and the choices. */
    private static <T> T choice(ParsedFlags flags, String flag, Function<String, T> parse, String expected,
                                T fallback, List<String> problems) {
        String text = flags.string(flag);
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + text + "\" for flag -" + flag + ": expected " + expected);
            return fallback;
        }
    }

    /**
     * The audit log's target. The file itself is opened by the audit writer, never here: opening a
     * FIFO blocks until a reader comes, and start-up must not wait for one.
     */
    private static AuditSettings auditSettings(ParsedFlags flags, List<String> problems) {
        String value = flags.string(AuditSettings.FLAG).trim();
        if (value.isEmpty()) {
            return AuditSettings.OFF;
        }
        if (value.equals("-")) {
            return new AuditSettings(true, Optional.empty());
        }
        Path file = Path.of(value).toAbsolutePath();
        if (Files.isDirectory(file)) {
            problems.add("invalid value \"" + value + "\" for flag -" + AuditSettings.FLAG + ": is a directory");
        } else if (!Files.isDirectory(file.getParent())) {
            problems.add("invalid value \"" + value + "\" for flag -" + AuditSettings.FLAG + ": directory "
                    + file.getParent() + " does not exist");
        }
        return new AuditSettings(true, Optional.of(file));
    }

    private static LogSettings logSettings(ParsedFlags flags, List<String> problems) {
        LogLevel level = LogLevel.INFO;
        LogFormat format = LogFormat.LOGFMT;
        String levelText = flags.string("log.level");
        try {
            level = LogLevel.parse(levelText);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + levelText + "\" for flag -log.level: expected debug, info, warn or error");
        }
        String formatText = flags.string("log.format");
        try {
            format = LogFormat.parse(formatText);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + formatText + "\" for flag -log.format: expected logfmt or json");
        }
        return new LogSettings(level, format);
    }

    private static Duration positive(ParsedFlags flags, String name, List<String> problems) {
        Duration value = flags.duration(name);
        if (!value.isPositive()) {
            problems.add("invalid value \"" + GoDuration.format(value) + "\" for flag -" + name + ": must be positive");
            return Duration.ofSeconds(1);
        }
        return value;
    }

    /** A per-route timeout: positive when set, else the general one. */
    private static Duration orDefault(ParsedFlags flags, String name, Duration general, List<String> problems) {
        return flags.isSet(name) ? positive(flags, name, problems) : general;
    }

    private static Duration nonNegative(ParsedFlags flags, String name, List<String> problems) {
        Duration value = flags.duration(name);
        if (value.isNegative()) {
            problems.add("invalid value \"" + GoDuration.format(value) + "\" for flag -" + name + ": must not be negative");
            return Duration.ZERO;
        }
        return value;
    }
}

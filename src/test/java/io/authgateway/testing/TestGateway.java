package io.authgateway.testing;

import io.authgateway.auth.KeyFetchCounters;
import io.authgateway.config.ConfigLoader;
import io.authgateway.config.LoadResult;
import io.authgateway.gateway.Gateway;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.Mode;
import io.authgateway.routing.Upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The gateway under test: started in this JVM on a loopback port from Go-style flags, with its log
 * captured. Every test builds it the same way ({@link #mimir()} / {@link #loki()}, then the
 * upstreams and the flags that matter to it); the defaults are the test secret ({@link Tokens}),
 * a one-second graceful shutdown, debug logs and the upstream client this suite runs with.
 */
public final class TestGateway implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Gateway gateway;
    private final ByteArrayOutputStream logBuffer;

    private TestGateway(Gateway gateway, ByteArrayOutputStream logBuffer) {
        this.gateway = gateway;
        this.logBuffer = logBuffer;
    }

    public static Builder mimir() {
        return new Builder(Mode.MIMIR);
    }

    public static Builder loki() {
        return new Builder(Mode.LOKI);
    }

    /** Flags and environment of a gateway under test; {@link #start()} runs it here, {@link #startProcess} in its own JVM. */
    public static final class Builder {
        private final Mode mode;
        private final List<String> flags = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>();
        private boolean secret = true;

        private Builder(Mode mode) {
            this.mode = mode;
        }

        /** The distributor and the query-frontend: most tests need only one upstream for both. */
        public Builder upstream(URI base) {
            return upstream(Upstream.DISTRIBUTOR, base).upstream(Upstream.QUERY_FRONTEND, base);
        }

        public Builder upstream(Upstream component, URI base) {
            flags.add("-" + component.flagName() + "=" + base);
            return this;
        }

        /** More flags; a flag given twice takes its last value, so these override the defaults. */
        public Builder flags(String... more) {
            flags.addAll(List.of(more));
            return this;
        }

        /** No {@code -gateway.auth.jwt-secret} (for a static tenant, a secret file or JWKS only). */
        public Builder withoutSecret() {
            secret = false;
            return this;
        }

        /** Process environment for the tracing variables (in-process only). */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Every flag the gateway gets, listen address and port first. */
        List<String> arguments(int port) {
            List<String> args = new ArrayList<>(List.of("-server.http-listen-address=127.0.0.1",
                    "-server.http-listen-port=" + port, "-server.graceful-shutdown-timeout=1s", "-log.level=debug"));
            String client = System.getProperty("test.upstream.client");
            if (client != null) {
                args.add("-gateway.upstream.client=" + client);
            }
            if (secret) {
                args.add("-gateway.auth.jwt-secret=" + Tokens.SECRET);
            }
            args.addAll(flags);
            return args;
        }

        public TestGateway start() throws IOException {
            LoadResult result = new ConfigLoader(mode).load(arguments(0));
            if (!(result instanceof LoadResult.Loaded loaded)) {
                throw new IllegalArgumentException("bad test flags: " + result);
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            Log log = new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(buffer, true, StandardCharsets.UTF_8),
                    Clock.systemUTC());
            return new TestGateway(Gateway.start(loaded.config(), log, Map.copyOf(environment)), buffer);
        }

        /** The gateway in its own JVM, as the launchers start it, on a port of its choosing ({@link GatewayProcess#port}). */
        public GatewayProcess startProcess(String... jvmOptions) throws IOException {
            return GatewayProcess.start(List.of(jvmOptions), mode.id(), arguments(0));
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    public int port() {
        return gateway.port();
    }

    public HttpClient client() {
        return CLIENT;
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery));
    }

    /** Open WebSocket tails, as the gauge reads them. */
    public int openTails() {
        return gateway.openTails().getAsInt();
    }

    public Optional<KeyFetchCounters> jwksCounters() {
        return gateway.jwksCounters();
    }

    /** Polls until {@code condition} holds, failing after {@code limit}. */
    public static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    public void startDraining() {
        gateway.startDraining();
    }

    public String logs() {
        return logBuffer.toString(StandardCharsets.UTF_8);
    }

    /** The log written after {@code mark}, a value of {@code logs().length()} taken earlier. */
    public String logsSince(int mark) {
        String all = logs();
        return all.substring(Math.min(mark, all.length()));
    }

    @Override
    public void close() {
        gateway.stop();
    }
}

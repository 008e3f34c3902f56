package io.authgateway.testing;

import io.authgateway.config.ConfigLoader;
import io.authgateway.config.LoadResult;
import io.authgateway.config.Mode;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.server.Gateway;

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
import java.util.List;
import java.util.Map;

/** A gateway started in this JVM on a loopback port from Go-style flags, with its log captured. */
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

    public static TestGateway start(Mode mode, String... flags) throws IOException {
        return startWithEnvironment(Map.of(), mode, flags);
    }

    /** Starts with the given process environment (for the tracing variables). */
    public static TestGateway startWithEnvironment(Map<String, String> environment, Mode mode, String... flags)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("-server.http-listen-address=127.0.0.1", "-server.http-listen-port=0",
                "-server.graceful-shutdown-timeout=1s", "-log.level=debug"));
        args.addAll(implementationFlags());
        args.addAll(List.of(flags));
        LoadResult result = new ConfigLoader(mode).load(args);
        if (!(result instanceof LoadResult.Loaded loaded)) {
            throw new IllegalArgumentException("bad test flags: " + result);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Log log = new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(buffer, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        return new TestGateway(Gateway.start(loaded.config(), log, environment), buffer);
    }

    /**
     * The server and upstream client the build runs this suite with ({@code test.server},
     * {@code test.upstream.client}; see the surefire executions in pom.xml); none means the defaults.
     */
    public static List<String> implementationFlags() {
        List<String> flags = new ArrayList<>();
        String server = System.getProperty("test.server");
        if (server != null) {
            flags.add("-gateway.server=" + server);
        }
        String client = System.getProperty("test.upstream.client");
        if (client != null) {
            flags.add("-gateway.upstream.client=" + client);
        }
        return flags;
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

    public java.util.Optional<io.authgateway.auth.KeyFetchCounters> jwksCounters() {
        return gateway.jwksCounters();
    }

    /** Polls until {@code condition} holds, failing after {@code limit}. */
    public static void await(Duration limit, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
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

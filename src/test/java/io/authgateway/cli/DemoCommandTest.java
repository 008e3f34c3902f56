package io.authgateway.cli;

import io.authgateway.routing.Mode;
import io.authgateway.testing.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The {@code demo} command as a newcomer meets it: the three printed curl commands, parsed from the
 * output and sent as printed, reach the right echo upstream with {@code X-Scope-OrgID: demo} (the
 * bad token reaches none), and stopping the demo frees every port it opened. Isolated: a port the
 * demo freed can be taken by another class binding port 0 at that moment (seen in full runs).
 */
@Isolated
class DemoCommandTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String READY = "Ctrl-C stops the demo.";

    @ParameterizedTest
    @EnumSource(Mode.class)
    void printedPushAndQueryReachTheirComponentAsTenantDemoAndTheBadTokenReachesNone(Mode mode) throws Exception {
        try (DemoRun demo = DemoRun.start(mode)) {
            List<String> commands = curlLines(demo.stdout());
            assertThat(commands).hasSize(3);

            Sent push = send(commands.get(0));
            assertThat(push.response().statusCode()).isEqualTo(200);
            assertThat(push.response().body()).contains("\"component\":\"distributor\"", "\"X-Scope-OrgID\":\"demo\"");
            long pushBytes = push.body().orElseThrow().getBytes(StandardCharsets.UTF_8).length;
            assertThat(echoLines(demo.stdout())).containsExactly(
                    "distributor    <- POST " + push.target() + "  X-Scope-OrgID=demo  body=" + pushBytes + " bytes");

            Sent query = send(commands.get(1));
            assertThat(query.response().statusCode()).isEqualTo(200);
            assertThat(echoLines(demo.stdout())).hasSize(2).last().isEqualTo(
                    "query-frontend <- GET " + query.target() + "  X-Scope-OrgID=demo  body=0 bytes");

            Sent badToken = send(commands.get(2));
            assertThat(badToken.response().statusCode()).isEqualTo(401);
            assertThat(badToken.response().body()).isEqualTo("Invalid bearer token\n");
            assertThat(echoLines(demo.stdout())).hasSize(2);
            assertThat(demo.stop()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void stoppingExitsZeroAndReleasesTheGatewayPortAndEveryEchoPort(Mode mode) throws Exception {
        List<Integer> ports;
        try (DemoRun demo = DemoRun.start(mode)) {
            ports = new ArrayList<>(echoPorts(demo.stdout()));
            assertThat(ports).hasSize(mode.upstreams().size());
            ports.add(URI.create(curlLines(demo.stdout()).getFirst().replaceAll(".*'(http://[^']+)'$", "$1")).getPort());
            for (int port : ports) {
                assertThatThrownBy(() -> bindLoopback(port)).as("port %d in use while running", port)
                        .isInstanceOf(BindException.class);
            }
            assertThat(demo.stop()).isZero();
        }
        for (int port : ports) {
            bindLoopback(port);
        }
    }

    @Test
    void userFlagsComeAfterTheDemosOwnAndWin() throws Exception {
        int port = GatewayProcess.freePort();
        try (DemoRun demo = DemoRun.start(Mode.MIMIR, "-server.http-listen-port=" + port,
                "-gateway.auth.tenant-id-claim=org")) {
            String push = curlLines(demo.stdout()).getFirst();
            assertThat(push).endsWith("'http://127.0.0.1:" + port + "/api/v1/push'");
            String token = push.replaceAll(".*Bearer ([^']+)'.*", "$1");
            String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            assertThat(claims).contains("\"org\":\"demo\"").doesNotContain("tenant_id");
            assertThat(send(push).response().statusCode()).isEqualTo(200);
            assertThat(echoLines(demo.stdout())).singleElement().asString().contains("X-Scope-OrgID=demo");
        }
    }

    @Test
    void anUnknownFlagExitsOneWithoutWaitingForASignal() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DemoCommand(Mode.LOKI, Map.of(), Clock.systemUTC()).run(List.of("-no-such-flag"),
                printStream(out), printStream(err), stop -> { });
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("flag provided but not defined: -no-such-flag",
                "loki-gateway demo: 1 configuration problem(s)");
    }

    @Test
    void helpExplainsTheDemoAndListsTheGatewayFlags() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new DemoCommand(Mode.MIMIR, Map.of(), Clock.systemUTC()).run(List.of("-help"),
                printStream(out), printStream(new ByteArrayOutputStream()), stop -> { });
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: mimir-gateway demo [flags...]")
                .contains("-log.level", "-gateway.distributor.address");
    }

    /** As the launcher runs it: {@code Main mimir demo} in its own JVM, stopped by SIGTERM. */
    @Test
    void mainRunsTheDemoUntilSigtermAndExitsZero() throws Exception {
        Path stderr = Files.createTempFile("demo-", ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.authgateway.Main", "mimir", "demo")
                .redirectError(stderr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder printed = new StringBuilder();
            for (String line; (line = out.readLine()) != null && !line.endsWith(READY); ) {
                printed.append(line).append('\n');
            }
            assertThat(curlLines(printed.toString())).as("printed before stdout ended:\n" + printed).hasSize(3);
            assertThat(send(curlLines(printed.toString()).getFirst()).response().statusCode()).isEqualTo(200);
            assertThat(out.readLine()).startsWith("distributor    <- POST /api/v1/push  X-Scope-OrgID=demo");
            process.destroy();
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(Files.readString(stderr)).contains("server stopped");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }

    /** The printed text is meant for a shell: with curl installed, run it there exactly as printed. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void printedCommandsWorkWhenPastedIntoAShell(Mode mode) throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")))
                .as("curl installed").isTrue();
        try (DemoRun demo = DemoRun.start(mode)) {
            List<String> commands = curlLines(demo.stdout());
            assertThat(shell(commands.get(0))).startsWith("HTTP/1.1 200").contains("\"X-Scope-OrgID\":\"demo\"");
            assertThat(shell(commands.get(1))).startsWith("HTTP/1.1 200").contains("\"component\":\"query-frontend\"");
            assertThat(shell(commands.get(2))).startsWith("HTTP/1.1 401").endsWith("Invalid bearer token\n");
            assertThat(echoLines(demo.stdout())).hasSize(2);
        }
    }

    /** A request built from a printed curl line, its body as printed, and the gateway's answer. */
    private record Sent(String target, Optional<String> body, HttpResponse<String> response) {
    }

    /**
     * Sends what the printed line asks curl to send. Only the options the demo prints are understood;
     * anything else fails, so the test cannot pass while the printed text says something else.
     */
    private static Sent send(String line) throws IOException, InterruptedException {
        List<String> words = shellWords(line);
        assertThat(words.getFirst()).isEqualTo("curl");
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10));
        Optional<String> body = Optional.empty();
        URI url = null;
        for (int i = 1; i < words.size(); i++) {
            switch (words.get(i)) {
                case "-i" -> { }
                case "-H" -> {
                    String[] header = words.get(++i).split(": ", 2);
                    request.header(header[0], header[1]);
                }
                case "--data-binary" -> body = Optional.of(words.get(++i));
                default -> {
                    assertThat(words.get(i)).as("option or second URL in " + line).doesNotStartWith("-");
                    assertThat(url).as("second URL in " + line).isNull();
                    url = URI.create(words.get(i));
                }
            }
        }
        assertThat(url).as("URL in " + line).isNotNull();
        // curl sends a POST when given a body, a GET otherwise.
        request.uri(url).method(body.isPresent() ? "POST" : "GET", body.map(HttpRequest.BodyPublishers::ofString)
                .orElse(HttpRequest.BodyPublishers.noBody()));
        String target = url.getRawQuery() == null ? url.getRawPath() : url.getRawPath() + "?" + url.getRawQuery();
        return new Sent(target, body, CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** Splits a line as a POSIX shell does, for the subset the demo prints: words, '...' and \x. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                }
                word = null;
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                assertThat(close).as("closing quote in " + line).isPositive();
                word.append(line, i + 1, close);
                i = close;
            } else if (c == '\\') {
                word.append(line.charAt(++i));
            } else {
                assertThat("\"$`;&|<>(){}*?[]").as("unquoted shell syntax in " + line).doesNotContain(String.valueOf(c));
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String shell(String line) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("sh", "-c", line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as("curl exit code").isZero();
        return output.replace("\r\n", "\n");
    }

    private static List<String> curlLines(String stdout) {
        return stdout.lines().filter(line -> line.startsWith("curl ")).toList();
    }

    private static List<String> echoLines(String stdout) {
        return stdout.lines().filter(line -> line.contains(" <- ")).toList();
    }

    /** The ports of the header's "  component  http://127.0.0.1:port" lines. */
    private static List<Integer> echoPorts(String stdout) {
        Matcher matcher = Pattern.compile("(?m)^  \\S+\\s+http://127\\.0\\.0\\.1:(\\d+)$").matcher(stdout);
        List<Integer> ports = new ArrayList<>();
        while (matcher.find()) {
            ports.add(Integer.parseInt(matcher.group(1)));
        }
        return ports;
    }

    private static void bindLoopback(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
    }

    private static PrintStream printStream(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    /** The demo on a virtual thread of this JVM, as Main runs it, with the stop action a signal would call. */
    private static final class DemoRun implements AutoCloseable {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final AtomicReference<Runnable> stopAction = new AtomicReference<>();
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();

        static DemoRun start(Mode mode, String... flags) throws InterruptedException {
            DemoRun run = new DemoRun();
            Thread.ofVirtual().start(() -> {
                try {
                    run.exit.complete(new DemoCommand(mode, Map.of(), Clock.systemUTC())
                            .run(List.of(flags), printStream(run.out), printStream(run.err), run.stopAction::set));
                } catch (RuntimeException | Error e) {
                    run.exit.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!run.stdout().contains(READY)) {
                assertThat(run.exit).as("demo exited early:\n" + run.err.toString(StandardCharsets.UTF_8)).isNotDone();
                assertThat(System.nanoTime() - deadline).as("demo ready within 15s").isNegative();
                Thread.sleep(20);
            }
            return run;
        }

        String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** What a SIGTERM does; returns the exit code. */
        int stop() throws Exception {
            stopAction.get().run();
            return exit.get(15, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (!exit.isDone()) {
                stop();
            }
        }
    }
}

package io.authgateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway in its own JVM (as the launchers start it), for what only a process shows: exit
 * codes, signals, and memory limits such as {@code -Xmx64m}. Stderr goes to a file.
 */
public final class GatewayProcess implements AutoCloseable {

    /** The port in the "listening" log line (logfmt or JSON): the process binds port 0, so no other test takes it first. */
    private static final Pattern LISTENING = Pattern.compile("server listening on addresses.*?http\\W+[^\\s\"]*:(\\d+)");

    private final Process process;
    private final Path stderr;
    private final Path stdout;
    private volatile int port;

    private GatewayProcess(Process process, Path stderr, Path stdout) {
        this.process = process;
        this.stderr = stderr;
        this.stdout = stdout;
    }

    /** Starts {@code Main <mode> flags...} with the given JVM options; see {@link TestGateway.Builder#startProcess}. */
    static GatewayProcess start(List<String> jvmOptions, String mode, List<String> flags) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.authgateway.Main");
        command.add(mode);
        command.addAll(flags);
        Path stderr = Files.createTempFile("gateway-", ".log");
        Path stdout = Files.createTempFile("gateway-", ".out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        return new GatewayProcess(process, stderr, stdout);
    }

    /** Runs to completion (for flag errors and -help) and returns the exit code. */
    public static Result run(String mode, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.authgateway.Main", mode));
        command.addAll(List.of(flags));
        File out = Files.createTempFile("gateway-out-", ".txt").toFile();
        File err = Files.createTempFile("gateway-err-", ".txt").toFile();
        Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gateway did not exit within 30s");
        }
        return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The port the gateway listens on, once it does (waits up to 20 s). */
    public int port() throws IOException, InterruptedException {
        if (port == 0) {
            awaitListening(Duration.ofSeconds(20));
        }
        return port;
    }

    public Process process() {
        return process;
    }

    public String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** What the process wrote to standard output so far (the audit log with {@code -gateway.audit-log=-}). */
    public String stdout() throws IOException {
        return Files.readString(stdout);
    }

    /** Waits until the log says the server listens. */
    public void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(stderr());
            if (listening.find()) {
                port = Integer.parseInt(listening.group(1));
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("gateway exited with " + process.exitValue() + ":\n" + stderr());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("gateway not listening after " + timeout + ":\n" + stderr());
    }

    public void signalTerm() {
        process.toHandle().destroy();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(stderr);
        Files.deleteIfExists(stdout);
    }
}

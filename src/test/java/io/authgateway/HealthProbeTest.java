package io.authgateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HealthProbeTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @ParameterizedTest
    @CsvSource({"200, 0", "503, 1", "404, 1", "204, 1"})
    void exitCodeFollowsTheStatus(int status, int exitCode) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ready", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(status, status == 204 ? -1 : 5);
                if (status != 204) {
                    exchange.getResponseBody().write("ready".getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ready");
            assertThat(HealthProbe.probe(url, Duration.ofSeconds(2), err)).isEqualTo(exitCode);
            assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEqualTo(exitCode == 0 ? "" : "health probe: " + url + " answered " + status + "\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nothingListeningIsUnhealthy() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(HealthProbe.probe(URI.create("http://127.0.0.1:" + port + "/ready"), Duration.ofSeconds(2), err)).isEqualTo(1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("failed: java.net.ConnectException");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/ready");
            long started = System.nanoTime();
            assertThat(HealthProbe.probe(url, Duration.ofMillis(300), err)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("SocketTimeoutException");
        }
    }
}

package io.authgateway.server;

import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.Tokens;
import io.authgateway.testing.WebSocketClient;
import io.authgateway.testing.WebSocketClient.Event;
import io.authgateway.testing.WebSocketUpstream;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket tails in a gateway process of its own, for what depends on JVM options and on the JDK
 * server's timers (which read their settings once per JVM): idle tails, the missing JVM option, shutdown.
 */
class WebSocketProcessTest {

    private static final String ADD_OPENS = "--add-opens=jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";

    private static List<String> flags(RecordingUpstream http, WebSocketUpstream querier, int port, String... extra) {
        List<String> flags = new ArrayList<>(List.of("-server.http-listen-address=127.0.0.1",
                "-server.http-listen-port=" + port, "-gateway.auth.jwt-secret=" + Tokens.SECRET,
                "-gateway.distributor.address=" + http.base(), "-gateway.query-frontend.address=" + http.base(),
                "-gateway.querier.address=" + querier.base()));
        flags.addAll(List.of(extra));
        return flags;
    }

    @Test
    void anIdleTailOutlivesEveryServerTimeout() throws Exception {
        int port = GatewayProcess.freePort();
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = GatewayProcess.start(List.of(ADD_OPENS), "loki", flags(http, querier, port,
                     "-server.http-read-timeout=1s", "-server.http-write-timeout=1s", "-server.http-idle-timeout=1s",
                     "-gateway.upstream.timeout=1s"), port)) {
            gateway.awaitListening(Duration.ofSeconds(20));
            WebSocketClient client = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/loki/api/v1/tail?query=%7Ba%3D%22b%22%7D"),
                    "Authorization", "Bearer " + Tokens.forTenant("idle"));
            WebSocketUpstream.Connection upstream = querier.nextConnection();
            Thread.sleep(3500);
            upstream.sendText("a log line after 3.5 s of silence");
            assertThat(client.next()).isEqualTo(new Event.Text("a log line after 3.5 s of silence"));
            client.sendText("still here");
            assertThat(upstream.nextFrame().text()).isEqualTo("still here");
            assertThat(gateway.stderr()).doesNotContain("level=error");
        }
    }

    @Test
    void theSocketServerRelaysTailsWithoutAnyJvmOption() throws Exception {
        int port = GatewayProcess.freePort();
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = GatewayProcess.start(List.of(), "loki",
                     flags(http, querier, port, "-gateway.server=socket"), port)) {
            gateway.awaitListening(Duration.ofSeconds(20));
            WebSocketClient client = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/loki/api/v1/tail"),
                    "Authorization", "Bearer " + Tokens.forTenant("t"));
            WebSocketUpstream.Connection upstream = querier.nextConnection();
            upstream.sendText("line one");
            assertThat(client.next()).isEqualTo(new Event.Text("line one"));
            client.sendText("from the client");
            assertThat(upstream.nextFrame().text()).isEqualTo("from the client");
            assertThat(gateway.stderr()).doesNotContain("level=error").doesNotContain("add-opens");
        }
    }

    @Test
    void withoutTheJvmOptionTheJdkServerAnswersUpgrades501AndEverythingElseWorks() throws Exception {
        int port = GatewayProcess.freePort();
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = GatewayProcess.start(List.of(), "loki",
                     flags(http, querier, port, "-gateway.server=jdk"), port)) {
            gateway.awaitListening(Duration.ofSeconds(20));
            assertThat(gateway.stderr()).contains("level=error")
                    .contains("start the JVM with --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /loki/api/v1/tail HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
                        + Tokens.forTenant("t") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String answer = RawHttp.readAnswer(socket.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 501 ").endsWith("\r\n\r\nNot Implemented\n");
            }
            assertThat(querier.accepted()).isZero();
            assertThat(gateway.stderr()).contains("kind=websocket");
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/loki/api/v1/query?query=x"))
                    .header("Authorization", "Bearer " + Tokens.forTenant("t")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClosedTailGivesItsConnectionBackToTheServer() throws Exception {
        int port = GatewayProcess.freePort();
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = GatewayProcess.start(List.of(ADD_OPENS), "loki",
                     flags(http, querier, port, "-server.http-conn-limit=2"), port)) {
            gateway.awaitListening(Duration.ofSeconds(20));
            for (int i = 0; i < 6; i++) { // three times the connection limit, one after the other
                WebSocketClient client = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/loki/api/v1/tail"),
                        "Authorization", "Bearer " + Tokens.forTenant("t" + i));
                WebSocketUpstream.Connection upstream = querier.nextConnection();
                client.socket().sendClose(1000, "").join();
                assertThat(upstream.nextFrame().closeCode()).isEqualTo(1000);
                assertThat(client.next()).isEqualTo(new Event.Close(1000, ""));
                Thread.sleep(200);
            }
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(gateway.stderr()).contains("websocket tail closed");
        }
    }

    @Test
    void shutdownClosesOpenTailsInsteadOfWaitingOutTheGracePeriod() throws Exception {
        int port = GatewayProcess.freePort();
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = GatewayProcess.start(List.of(ADD_OPENS), "loki",
                     flags(http, querier, port, "-server.graceful-shutdown-timeout=30s"), port)) {
            gateway.awaitListening(Duration.ofSeconds(20));
            WebSocketClient client = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/api/prom/tail"),
                    "Authorization", "Bearer " + Tokens.forTenant("t"));
            WebSocketUpstream.Connection upstream = querier.nextConnection();
            long started = System.nanoTime();
            gateway.signalTerm();
            assertThat(gateway.process().waitFor(15, TimeUnit.SECONDS)).as("exited well within the 30s grace").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(gateway.process().exitValue()).isZero();
            assertThat(upstream.nextFrame().opcode()).as("the upstream saw its connection end").isEqualTo(-1);
            assertThat(client.next()).isInstanceOfAny(Event.Error.class, Event.Close.class);
        }
    }
}

package io.authgateway.gateway;

import io.authgateway.testing.GatewayProcess;
import io.authgateway.routing.Upstream;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket tails in a gateway process of its own, for what only a process shows: idle tails against
 * every server timeout, no JVM option needed, the connection limit, shutdown.
 */
class WebSocketProcessTest {

    private static TestGateway.Builder loki(RecordingUpstream http, WebSocketUpstream querier) {
        return TestGateway.loki().upstream(http.base()).upstream(Upstream.QUERIER, querier.base());
    }

    @Test
    void anIdleTailOutlivesEveryServerTimeout() throws Exception {
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = loki(http, querier)
                     .flags("-server.http-read-timeout=1s", "-server.http-write-timeout=1s", "-server.http-idle-timeout=1s",
                     "-gateway.upstream.timeout=1s").startProcess()) {
            int port = gateway.port();
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
    void tailsNeedNoJvmOption() throws Exception {
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = loki(http, querier)
                     .startProcess()) {
            int port = gateway.port();
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
    void aClosedTailGivesItsConnectionBackToTheServer() throws Exception {
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = loki(http, querier)
                     .flags("-server.http-conn-limit=2").startProcess()) {
            int port = gateway.port();
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
        try (RecordingUpstream http = new RecordingUpstream("query-frontend");
             WebSocketUpstream querier = new WebSocketUpstream();
             GatewayProcess gateway = loki(http, querier)
                     .flags("-server.graceful-shutdown-timeout=30s").startProcess()) {
            int port = gateway.port();
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

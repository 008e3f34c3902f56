package io.authgateway.server;

import io.authgateway.routing.Mode;
import io.authgateway.testing.RawClient;
import io.authgateway.testing.RawHttp;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import io.authgateway.testing.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own HTTP/1.1 server ({@code -gateway.server=socket}) at the protocol level, over raw
 * sockets: what the JDK server did for us before (keep-alive, 100-continue, HTTP/1.0, framing rules,
 * limits, timeouts, graceful stop) must hold here. Not a *WireTest: these are this server's rules,
 * so the suite's run on the JDK server does not repeat them.
 */
class SocketServerTest {

    private static final String TOKEN = Tokens.forTenant("team-a");

    private RecordingUpstream distributor;
    private final List<TestGateway> gateways = new ArrayList<>();

    @BeforeEach
    void startUpstream() throws IOException {
        distributor = new RecordingUpstream("distributor");
    }

    @AfterEach
    void stop() {
        gateways.forEach(TestGateway::close);
        distributor.close();
    }

    private TestGateway gateway(String... extra) throws IOException {
        TestGateway gateway = TestGateway.mimir().upstream(distributor.base()).flags(extra).start();
        gateways.add(gateway);
        return gateway;
    }


    private static String push(String body, String... extraHeaders) {
        return "POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: "
                + body.length() + "\r\n" + String.join("", extraHeaders) + "\r\n" + body;
    }



    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send(push("one") + push("two"));
            InputStream in = socket.in();
            assertThat(RawHttp.readAnswer(in)).startsWith("HTTP/1.1 200 ").endsWith("distributor");
            assertThat(RawHttp.readAnswer(in)).startsWith("HTTP/1.1 200 ").endsWith("distributor");
            socket.send(push("three"));
            assertThat(RawHttp.readAnswer(in)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(List.of(distributor.take().body(), distributor.take().body(), distributor.take().body()))
                .containsExactly("one", "two", "three");
    }

    @Test
    void anUnreadBodyTooLongToDrainIsAnsweredWithConnectionCloseAndASmallOneKeepsTheConnection() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            String answer = RawHttp.readAnswer(socket.in());
            assertThat(answer).startsWith("HTTP/1.1 401 ").contains("Connection: close");
            assertThat(socket.closedByPeer()).isTrue();
        }
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 401 ").doesNotContain("Connection: close");
            socket.send(push("after a drained body"));
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 200 ");
        }
        assertThat(distributor.take().body()).isEqualTo("after a drained body");
    }

    @Test
    void continueIsSentOnlyWhenTheGatewayWantsTheBody() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            InputStream in = socket.in();
            assertThat(new String(in.readNBytes(25), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            socket.send("data");
            assertThat(RawHttp.readAnswer(in)).startsWith("HTTP/1.1 200 ");
            assertThat(distributor.take().body()).isEqualTo("data");
        }
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String answer = RawHttp.readAnswer(socket.in());
            assertThat(answer).startsWith("HTTP/1.1 401 ").contains("Connection: close").endsWith("No bearer token provided\n");
            assertThat(socket.closedByPeer()).as("a client that may still send its body is not kept").isTrue();
        }
        assertThat(distributor.received()).isZero();
    }

    @Test
    void http10ClientsKeepTheirConnectionOnlyWhenTheyAskForIt() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("GET /ready HTTP/1.0\r\n\r\n");
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 200 ").contains("Connection: close");
            assertThat(socket.closedByPeer()).isTrue();
        }
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("GET /ready HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(RawHttp.readAnswer(socket.in())).contains("Connection: keep-alive");
            socket.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 200 ").endsWith("ok\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "folded header        | 400 | POST /api/v1/push HTTP/1.1\\r\\nHost: gw\\r\\nX-A: 1\\r\\n  2\\r\\n\\r\\n",
            "CL and TE together   | 400 | POST /api/v1/push HTTP/1.1\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n",
            "two Content-Lengths  | 400 | POST /api/v1/push HTTP/1.1\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabc",
            "negative length      | 400 | POST /api/v1/push HTTP/1.1\\r\\nContent-Length: -3\\r\\n\\r\\n",
            "gzip transfer coding | 501 | POST /api/v1/push HTTP/1.1\\r\\nHost: gw\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n",
            "HTTP/2.0 request     | 505 | GET /ready HTTP/2.0\\r\\n\\r\\n",
            "bare LF line ends    | 400 | GET /ready HTTP/1.1\\nHost: gw\\n\\n",
            "bad target           | 400 | GET /a%zz%% HTTP/1.1\\r\\n\\r\\n",
    })
    void malformedRequestsAreAnsweredByTheServerAndNeverProxied(String what, int status, String request) throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send(Wire.unescape(request));
            String answer = RawHttp.readAnswer(socket.in());
            assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ").contains("Connection: close");
            assertThat(socket.closedByPeer()).isTrue();
        }
        assertThat(distributor.received()).isZero();
        assertThat(gateway.logs()).contains("request refused by the server").contains("status=" + status);
    }

    @Test
    void aHeadOverTheServersLimitIs431() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            String huge = "X-Filler: " + "x".repeat(8000) + "\r\n";
            // The server stops reading at its limit: write from another thread, a reset there is expected.
            CompletableFuture.runAsync(() -> {
                try {
                    socket.send("GET /ready HTTP/1.1\r\n" + huge.repeat(140) + "\r\n");
                } catch (IOException ignored) {
                    // the server closed after answering
                }
            });
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 431 ");
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        TestGateway gateway = gateway("-server.http-idle-timeout=300ms");
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("GET /ready HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawHttp.readAnswer(socket.in())).startsWith("HTTP/1.1 200 ");
            long idleFrom = System.nanoTime();
            socket.socket().setSoTimeout(5_000);
            assertThat(socket.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - idleFrom)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }

    @Test
    void aClientStallingInsideItsRequestIsCutAtTheReadTimeout() throws Exception {
        TestGateway gateway = gateway("-server.http-read-timeout=1s");
        try (RawClient socket = new RawClient(gateway.port())) {
            long started = System.nanoTime();
            socket.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + TOKEN);
            assertThat(socket.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
        }
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send(push("12345").replace("Content-Length: 5", "Content-Length: 10"));
            assertThat(socket.closedByPeer()).as("half a body, then nothing").isTrue();
        }
        RecordingUpstream.Recorded seen = distributor.poll(Duration.ofMillis(300));
        assertThat(seen == null || !seen.bodyComplete()).as("no complete request reached the upstream: " + seen).isTrue();
    }

    @Test
    void atTheConnectionLimitANewConnectionWaitsUntilOneCloses() throws Exception {
        TestGateway gateway = gateway("-server.http-conn-limit=1");
        try (RawClient first = new RawClient(gateway.port()); RawClient second = new RawClient(gateway.port())) {
            first.send("GET /ready HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawHttp.readAnswer(first.in())).startsWith("HTTP/1.1 200 ");
            second.send("GET /ready HTTP/1.1\r\nHost: gw\r\n\r\n");
            second.socket().setSoTimeout(500);
            assertThat(second.closedByPeer()).as("not served while the first connection is open").isFalse();
            first.close();
            second.socket().setSoTimeout(10_000);
            assertThat(RawHttp.readAnswer(second.in())).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void stopFinishesExchangesInProgressAndClosesIdleConnections() throws Exception {
        distributor.respondWith((exchange, request) -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RecordingUpstream.text(exchange, 200, "slow");
        });
        TestGateway gateway = gateway("-server.graceful-shutdown-timeout=5s");
        try (RawClient busy = new RawClient(gateway.port()); RawClient idle = new RawClient(gateway.port())) {
            idle.send("GET /ready HTTP/1.1\r\nHost: gw\r\n\r\n");
            assertThat(RawHttp.readAnswer(idle.in())).startsWith("HTTP/1.1 200 ");
            busy.send(push("in flight"));
            distributor.take();
            gateways.remove(gateway);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(gateway::close);
            assertThat(idle.closedByPeer()).as("idle connection closed at once").isTrue();
            assertThat(RawHttp.readAnswer(busy.in())).startsWith("HTTP/1.1 200 ").contains("Connection: close")
                    .endsWith("slow");
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void answersCarryTheCurrentDate() throws Exception {
        TestGateway gateway = gateway();
        try (RawClient socket = new RawClient(gateway.port())) {
            socket.send("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n");
            String date = RawHttp.readAnswer(socket.in()).lines().filter(line -> line.startsWith("Date: "))
                    .findFirst().orElseThrow().substring(6);
            ZonedDateTime sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(Duration.between(sent, ZonedDateTime.now()).abs()).isLessThan(Duration.ofSeconds(5));
        }
    }
}

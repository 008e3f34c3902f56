package io.authgateway.gateway;

import io.authgateway.routing.Mode;
import io.authgateway.testing.RawHttp;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import io.authgateway.testing.WebSocketClient;
import io.authgateway.testing.WebSocketClient.Event;
import io.authgateway.testing.WebSocketUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Loki live tail through the gateway: a real WebSocket upstream and the JDK's WebSocket client.
 * Isolated: upstreamDownIsBadGatewayBeforeAnyUpgrade needs the querier's freed port to stay closed,
 * and another class binding port 0 at that moment can take it (seen in a full run).
 */
@Isolated
class WebSocketTailWireTest {

    private static final String QUERY = "?query=%7Bjob%3D%22app%22%7D&limit=10&start=1700000000000000000";

    private RecordingUpstream http;
    private WebSocketUpstream querier;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        http = new RecordingUpstream("query-frontend");
        querier = new WebSocketUpstream();
        gateway = TestGateway.loki().upstream(http.base())
                .flags("-gateway.querier.address=" + querier.base(), "-gateway.upstream.dial-timeout=2s").start();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        querier.close();
        http.close();
    }

    private URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    private WebSocketClient tail(String tenant) {
        return WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY), "Authorization", "Bearer " + Tokens.forTenant(tenant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loki/api/v1/tail", "/api/prom/tail"})
    void relaysMessagesBothWaysWithTheTenantHeader(String path) throws Exception {
        querier.greetWith("hello from the querier");
        WebSocketClient client = WebSocketClient.connect(ws(path + QUERY),
                "Authorization", "Bearer " + Tokens.forTenant("tenant-1"), "X-Scope-OrgID", "someone-else");
        WebSocketUpstream.Connection upstream = querier.nextConnection();

        WebSocketUpstream.Handshake handshake = upstream.handshake();
        assertThat(handshake.target()).isEqualTo(path + QUERY);
        assertThat(handshake.headerValues("X-Scope-OrgID")).containsExactly("tenant-1");
        assertThat(handshake.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(handshake.header("Host")).isEqualTo(querier.base().getAuthority());
        assertThat(handshake.header("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(handshake.header("Sec-WebSocket-Key")).isNotBlank();
        assertThat(client.next()).as("a frame sent with the 101 head").isEqualTo(new Event.Text("hello from the querier"));

        client.sendText("from the client");
        assertThat(upstream.nextFrame().text()).isEqualTo("from the client");
        assertThat(client.next()).isEqualTo(new Event.Text("from the client"));

        client.socket().sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}), true).join();
        WebSocketUpstream.Frame binary = upstream.nextFrame();
        assertThat(binary.opcode()).isEqualTo(WebSocketUpstream.BINARY);
        assertThat(binary.masked()).as("client frames stay masked, untouched").isTrue();
        assertThat(binary.payload()).containsExactly(0, 1, 2, 255);
        assertThat(((Event.Binary) client.next()).bytes()).containsExactly(0, 1, 2, 255);

        String big = "x".repeat(200_000);
        upstream.sendText(big);
        assertThat(client.next()).isEqualTo(new Event.Text(big));
        assertThat(gateway.openTails()).isEqualTo(1);
    }

    @Test
    void pingsAndPongsPassThrough() throws Exception {
        WebSocketClient client = tail("tenant-1");
        WebSocketUpstream.Connection upstream = querier.nextConnection();

        client.socket().sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(upstream.nextFrame().opcode()).isEqualTo(WebSocketUpstream.PING);
        assertThat(new String(((Event.Pong) client.next()).bytes(), StandardCharsets.UTF_8)).isEqualTo("are you there");

        upstream.sendPing("ping from querier".getBytes(StandardCharsets.UTF_8));
        assertThat(client.next()).isInstanceOf(Event.Ping.class);
        WebSocketUpstream.Frame pong = upstream.nextFrame();
        assertThat(pong.opcode()).isEqualTo(WebSocketUpstream.PONG);
        assertThat(pong.text()).isEqualTo("ping from querier");
    }

    @Test
    void unauthenticatedUpgradeIs401BeforeAnyUpgrade() throws Exception {
        Throwable refused = catchThrowable(() -> WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY)));
        assertThat(refused).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(401);

        Throwable badToken = catchThrowable(() -> WebSocketClient.connect(ws("/loki/api/v1/tail"),
                "Authorization", "Bearer " + Tokens.signer(io.authgateway.auth.HmacAlgorithm.HS256, "wrong").sign(
                        Tokens.claims("{\"tenant_id\":\"t\"}"))));
        assertThat(((WebSocketHandshakeException) badToken.getCause()).getResponse().statusCode()).isEqualTo(401);

        String answer = rawUpgrade("/loki/api/v1/tail", "");
        assertThat(answer).startsWith("HTTP/1.1 401 ").endsWith("\r\n\r\nNo bearer token provided\n");
        assertThat(querier.accepted()).as("the querier was never contacted").isZero();
        assertThat(gateway.openTails()).isZero();
    }

    @Test
    void aTenantListTailIsAReadForEveryTenantOrTheClientsChoice() throws Exception {
        String list = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":[\"a\",\"b\"],\"scope\":\"logs:read\"}"));
        WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY), "Authorization", list);
        assertThat(querier.nextConnection().handshake().headerValues("X-Scope-OrgID")).containsExactly("a|b");

        WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY), "Authorization", list, "X-Scope-OrgID", "b");
        assertThat(querier.nextConnection().handshake().headerValues("X-Scope-OrgID")).containsExactly("b");

        Throwable outside = catchThrowable(() -> WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY),
                "Authorization", list, "X-Scope-OrgID", "c"));
        assertThat(((WebSocketHandshakeException) outside.getCause()).getResponse().statusCode()).isEqualTo(403);
        String writeOnly = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":\"a\",\"scope\":\"logs:write\"}"));
        Throwable unscoped = catchThrowable(() -> WebSocketClient.connect(ws("/loki/api/v1/tail" + QUERY),
                "Authorization", writeOnly));
        assertThat(((WebSocketHandshakeException) unscoped.getCause()).getResponse().statusCode()).isEqualTo(403);
        assertThat(querier.accepted()).as("refused upgrades never reach the querier").isEqualTo(2);
    }

    @Test
    void upstreamClosingReachesTheClientWithItsCode() throws Exception {
        WebSocketClient client = tail("tenant-1");
        WebSocketUpstream.Connection upstream = querier.nextConnection();
        upstream.sendClose(4001, "query finished");
        assertThat(client.next()).isEqualTo(new Event.Close(4001, "query finished"));
        WebSocketUpstream.Frame answer = upstream.nextFrame();
        assertThat(answer.opcode()).isEqualTo(WebSocketUpstream.CLOSE);
        assertThat(answer.closeCode()).isEqualTo(4001);
        upstream.closeSocket();
        awaitZero(gateway::openTails);
        // which side drops TCP first after the closing handshake is a race; the log names it either way
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!gateway.logs().contains("websocket tail closed") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gateway.logs()).containsPattern("msg=\"websocket tail closed\" .*closed_by=(client|upstream) ");
    }

    @Test
    void clientClosingReachesTheUpstream() throws Exception {
        WebSocketClient client = tail("tenant-1");
        WebSocketUpstream.Connection upstream = querier.nextConnection();
        client.socket().sendClose(1000, "enough").join();
        WebSocketUpstream.Frame close = upstream.nextFrame();
        assertThat(close.opcode()).isEqualTo(WebSocketUpstream.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1000);
        assertThat(close.closeReason()).isEqualTo("enough");
        assertThat(client.next()).isEqualTo(new Event.Close(1000, "enough"));
        awaitZero(gateway::openTails);
    }

    @Test
    void fiftyConcurrentTails() throws Exception {
        List<WebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(tail("tenant-" + i));
        }
        Set<String> tenants = new HashSet<>();
        List<WebSocketUpstream.Connection> upstreams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            WebSocketUpstream.Connection upstream = querier.nextConnection();
            upstreams.add(upstream);
            tenants.add(upstream.handshake().header("X-Scope-OrgID"));
        }
        assertThat(tenants).hasSize(50);
        assertThat(gateway.openTails()).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            clients.get(i).sendText("message " + i);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(clients.get(i).next()).isEqualTo(new Event.Text("message " + i));
        }
        for (WebSocketClient client : clients) {
            client.socket().sendClose(1000, "").join();
        }
        awaitZero(gateway::openTails);
        assertThat(gateway.get("/health").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void aRefusedUpgradeIsRelayedAsHttp() throws Exception {
        querier.refuseWith("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "b\r\nparse error\r\n6\r\n at 1:\r\n0\r\n\r\n");
        String answer = rawUpgrade("/loki/api/v1/tail?query=%7B", "Authorization: Bearer " + Tokens.forTenant("t") + "\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-type: text/plain").endsWith("parse error at 1:");
        assertThat(querier.nextConnection().handshake().header("X-Scope-OrgID")).isEqualTo("t");
    }

    @Test
    void upstreamDownIsBadGatewayBeforeAnyUpgrade() throws Exception {
        querier.close();
        Throwable refused = catchThrowable(() -> tail("tenant-1"));
        assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(502);
        assertThat(gateway.logs()).contains("kind=connect");
    }

    /** Sends a handshake by hand; returns the answer's head and its decoded body. */
    private String rawUpgrade(String target, String extraHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return RawHttp.readAnswer(socket.getInputStream());
        }
    }

    static void awaitZero(IntSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.getAsInt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(value.getAsInt()).isZero();
    }
}

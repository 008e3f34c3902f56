package io.authgateway.gateway;

import io.authgateway.routing.Upstream;
import io.authgateway.testing.RawClient;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import io.authgateway.testing.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 strictness from outside, over raw sockets (RFC 9112; issue 14), one table per rule
 * family: request framing, request targets and {@code Host}, upstream answer framing. Each case
 * checks the status the client gets, that its connection is closed, what the upstream saw
 * (nothing, or a request it never got whole), and that the next request, on a new connection and
 * for another tenant, is served correctly. Runs on both upstream clients (a *WireTest).
 */
class StrictHttpWireTest {

    private static final String TOKEN = Tokens.forTenant("tenant-a");
    private static final String PUSH = "POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + TOKEN + "\r\n";
    private static final String GET = "HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n";

    private static RecordingUpstream upstream;
    private static RecordingUpstream rawUpstream;
    private static TestGateway gateway;
    private static TestGateway answers;
    private static final AtomicInteger badConnection = new AtomicInteger();
    private static final AtomicInteger goodConnection = new AtomicInteger();
    private static volatile String badAnswer = "";
    private static volatile String goodTenantSeen = "";

    @BeforeAll
    static void start() throws IOException {
        upstream = new RecordingUpstream("distributor");
        gateway = TestGateway.mimir().upstream(upstream.base()).upstream(Upstream.RULER, upstream.base())
                .flags("-server.http-read-timeout=2s").start();
        rawUpstream = RecordingUpstream.scripted((connection, request, head, in, out) -> {
            if (head.contains("case=bad")) {
                badConnection.set(connection);
                RecordingUpstream.write(out, badAnswer);
            } else {
                goodConnection.set(connection);
                goodTenantSeen = head.lines().filter(line -> line.startsWith("X-Scope-OrgID: ")).findFirst().orElse("");
                RecordingUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
            }
            return true;
        });
        answers = TestGateway.mimir().upstream(rawUpstream.base()).flags("-gateway.upstream.timeout=5s").start();
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        answers.close();
        upstream.close();
        rawUpstream.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        upstream.clear();
    }

    private static String unescape(String text) {
        return Wire.unescape(text.replace("{push}", PUSH).replace("{get}", GET).replace("{ext}", "a".repeat(5000))
                .replace("{long}", "x".repeat(33 * 1024)));
    }

    /** Sends the request ({@code {pause}} splits it into two writes 200 ms apart) and half-closes if asked. */
    private static String exchange(TestGateway target, String request, boolean halfClose, RawClient client)
            throws Exception {
        String[] parts = unescape(request).split("\\{pause}", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                Thread.sleep(200);
            }
            client.send(parts[i]);
        }
        if (halfClose) {
            client.socket().shutdownOutput();
        }
        try {
            return client.answer();
        } catch (IOException closedWithoutAnswer) {
            return "";
        }
    }

    /** Nothing reached the upstream, or only a request it never got whole. */
    private static void assertUpstreamGotNothingWhole() throws InterruptedException {
        List<RecordingUpstream.Recorded> seen = new ArrayList<>();
        for (RecordingUpstream.Recorded request; (request = upstream.poll(Duration.ofMillis(300))) != null; ) {
            seen.add(request);
        }
        assertThat(seen).allSatisfy(request -> assertThat(request.bodyComplete()).as("an aborted request").isFalse());
    }

    /** Another tenant's request on a new connection is served, and reaches the upstream whole. */
    private static void assertNextRequestIsServed() throws Exception {
        try (RawClient next = new RawClient(gateway.port())) {
            next.send("POST /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + Tokens.forTenant("tenant-b")
                    + "\r\nContent-Length: 4\r\n\r\nnext");
            assertThat(next.answer()).startsWith("HTTP/1.1 200 ").endsWith("distributor");
        }
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.header("X-Scope-OrgID")).isEqualTo("tenant-b");
        assertThat(seen.body()).isEqualTo("next");
        assertThat(seen.bodyComplete()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "chunk size overflows a long  | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n10000000000000000\\r\\nx\\r\\n0\\r\\n\\r\\n",
            "negative chunk size          | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n-5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "chunk size with a plus       | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n+5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "chunk size with 0x           | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "space before the chunk size  | 400 | \"{push}Transfer-Encoding: chunked\\r\\n\\r\\n 5\\r\\nhello\\r\\n0\\r\\n\\r\\n\"",
            "space after the chunk size   | 400 | \"{push}Transfer-Encoding: chunked\\r\\n\\r\\n5 \\r\\nhello\\r\\n0\\r\\n\\r\\n\"",
            "empty size line              | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "bare LF after the size       | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n5\\nhello\\r\\n0\\r\\n\\r\\n",
            "chunk longer than its size   | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello!\\r\\n0\\r\\n\\r\\n",
            "chunk shorter than its size  | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n6\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "no CRLF after the data       | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello0\\r\\n\\r\\n",
            "oversized chunk extension    | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n5;{ext}\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "bad chunk after a good one   | 400 | {push}Transfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n{pause}zz\\r\\nx\\r\\n0\\r\\n\\r\\n",
            "HTTP/1.0 with TE             | 400 | POST /api/v1/push HTTP/1.0\\r\\nHost: gw\\r\\nAuthorization: Bearer x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "Content-Length and TE        | 400 | {push}Content-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "two Content-Lengths          | 400 | {push}Content-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
            "Content-Length list          | 400 | \"{push}Content-Length: 5, 96\\r\\n\\r\\nhello\"",
            "Content-Length -0            | 400 | {push}Content-Length: -0\\r\\n\\r\\n",
            "Content-Length +5            | 400 | {push}Content-Length: +5\\r\\n\\r\\nhello",
            "transfer coding gzip         | 400 | {push}Transfer-Encoding: gzip\\r\\n\\r\\nhello",
            "gzip then chunked            | 501 | \"{push}Transfer-Encoding: gzip, chunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n\"",
            "vertical tab before chunked  | 400 | {push}Transfer-Encoding: \\u000bchunked\\r\\n\\r\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n",
            "folded header                | 400 | \"{push}X-A: 1\\r\\n 2\\r\\nContent-Length: 5\\r\\n\\r\\nhello\"",
            "bare LF request line         | 400 | POST /api/v1/push HTTP/1.1\\nHost: gw\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
            "HTTP/1.2                     | 505 | POST /api/v1/push HTTP/1.2\\r\\nHost: gw\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
    })
    void requestFramingThatIsNotCertainIsAnsweredAndTheConnectionClosed(String what, int status, String request)
            throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            String answer = exchange(gateway, request, false, client);
            assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ").contains("Connection: close");
            assertThat(client.closedByPeer()).as(what + ": connection closed").isTrue();
        }
        assertUpstreamGotNothingWhole();
        assertNextRequestIsServed();
    }

    @Test
    void aChunkSizeOverFourGigabytesIsBodyNotANewRequest() throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            String answer = exchange(gateway, "{push}Transfer-Encoding: chunked\\r\\n\\r\\n100000005\\r\\nhello\\r\\n0\\r\\n\\r\\n"
                    + "GET /ready HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n", true, client);
            assertThat(answer).as("the client ended inside the chunk: no answer, and no second request").isEmpty();
        }
        assertUpstreamGotNothingWhole();
        assertNextRequestIsServed();
    }

    @Test
    void aValidChunkSizeWithLeadingZerosIsAccepted() throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            String answer = exchange(gateway, "{push}Transfer-Encoding: chunked\\r\\n\\r\\n0005\\r\\nhello\\r\\n000\\r\\n\\r\\n",
                    false, client);
            assertThat(answer).startsWith("HTTP/1.1 200 ");
        }
        assertThat(upstream.take().body()).isEqualTo("hello");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "encoded slashes, no origin form | 400 | -                | GET %2Fapi%2Fv1%2Fpush {get}",
            "absolute form                   | 400 | -                | GET http://gw/api/v1/push {get}",
            "authority form with CONNECT     | 405 | -                | CONNECT gw:443 {get}",
            "TRACE                           | 405 | -                | TRACE /api/v1/push {get}",
            "asterisk without OPTIONS        | 400 | -                | GET * {get}",
            "fragment                        | 400 | -                | GET /api/v1/push#frag {get}",
            "raw brace in the query          | 400 | -                | GET /api/v1/query?q={a} {get}",
            "target over 32 KiB              | 414 | -                | GET /api/v1/query?q={long} {get}",
            "no Host                         | 400 | -                | GET /api/v1/push HTTP/1.1\\r\\nAuthorization: Bearer x\\r\\n\\r\\n",
            "two Host lines                  | 400 | -                | GET /api/v1/push HTTP/1.1\\r\\nHost: a\\r\\nHost: a\\r\\n\\r\\n",
            "Host with a slash               | 400 | -                | GET /api/v1/push HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n",
            "double slash                    | 301 | /api/v1/push     | GET //api/v1/push {get}",
            "triple slash                    | 301 | /api/v1/push     | GET ///api/v1/push {get}",
            "dot segment                     | 301 | /api/v1/push     | GET /api/./v1/push {get}",
            "dot-dot segment                 | 301 | /api/v1/push     | GET /api/x/../v1/push {get}",
            "encoded unreserved character    | 301 | /api/v1/push?a=b | GET /api/v1/pu%73h?a=b {get}",
            "encoded dot-dot                 | 301 | /api/v1/push     | GET /api/x/%2E%2E/v1/push {get}",
    })
    void targetsAndHostAreOriginFormCanonicalAndCertain(String what, int status, String location, String request)
            throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            String answer = exchange(gateway, request, false, client);
            assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
            if (status == 301) {
                assertThat(answer).as(what).contains("Location: " + location + "\r\n");
            } else {
                assertThat(answer).as(what).contains("Connection: close");
                assertThat(client.closedByPeer()).as(what + ": connection closed").isTrue();
            }
        }
        assertUpstreamGotNothingWhole();
        assertNextRequestIsServed();
    }

    @Test
    void optionsAsteriskIsAnsweredByTheServerItself() throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            String answer = exchange(gateway, "OPTIONS * HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n", false, client);
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            assertThat(exchange(gateway, "GET /ready HTTP/1.1\\r\\nHost: gw\\r\\n\\r\\n", false, client))
                    .as("the connection stays open").startsWith("HTTP/1.1 200 ");
        }
        assertThat(upstream.poll(Duration.ofMillis(200))).isNull();
    }

    @Test
    void thePathThatIsRoutedIsThePathThatIsForwardedByteForByte() throws Exception {
        try (RawClient client = new RawClient(gateway.port())) {
            assertThat(exchange(gateway, "GET /prometheus/config/v1/rules/ns%2Fwith%2Fslash;v=1?x=[5m]&y=%41 {get}",
                    false, client)).startsWith("HTTP/1.1 200 ");
        }
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.rawPath()).isEqualTo("/prometheus/config/v1/rules/ns%2Fwith%2Fslash;v=1");
        assertThat(seen.rawQuery()).isEqualTo("x=[5m]&y=%41");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "both framings            | GET  | 502    | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n",
            "two lengths              | GET  | 502    | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "length list              | GET  | 502    | \"HTTP/1.1 200 OK\\r\\nContent-Length: 5, 96\\r\\n\\r\\nabcde\"",
            "length with a plus       | GET  | 502    | HTTP/1.1 200 OK\\r\\nContent-Length: +3\\r\\n\\r\\nabc",
            "hex length               | GET  | 502    | HTTP/1.1 200 OK\\r\\nContent-Length: 0x3\\r\\n\\r\\nabc",
            "transfer coding gzip     | GET  | 502    | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\nabc",
            "bare LF status line      | GET  | hidden | HTTP/1.1 200 OK\\nContent-Length: 3\\r\\n\\r\\nabc",
            "bare LF header           | GET  | hidden | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\n\\r\\nabc",
            "folded header            | GET  | hidden | \"HTTP/1.1 200 OK\\r\\nX-A: 1\\r\\n 2\\r\\nContent-Length: 3\\r\\n\\r\\nabc\"",
            "control byte in a value  | GET  | hidden | HTTP/1.1 200 OK\\r\\nX-A: \\u0001\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "space before the colon   | GET  | 502    | \"HTTP/1.1 200 OK\\r\\nContent-Length : 3\\r\\n\\r\\nabc\"",
            "two-digit status         | GET  | 502    | HTTP/1.1 20 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "four-digit status        | GET  | hidden | HTTP/1.1 2000 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "HTTP/2 status line       | GET  | 502    | HTTP/2 200\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "body longer than length  | GET  | hidden | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabcdef",
            "unsolicited extra answer | GET  | hidden | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabcHTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nextra",
            "body on a 204            | GET  | hidden | HTTP/1.1 204 No Content\\r\\n\\r\\nabc",
            "length on a 204          | GET  | 502    | HTTP/1.1 204 No Content\\r\\nContent-Length: 3\\r\\n\\r\\n",
            "body on a 304            | GET  | hidden | HTTP/1.1 304 Not Modified\\r\\n\\r\\nabc",
            "body on a HEAD answer    | HEAD | hidden | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
            "unsolicited 101          | GET  | 502    | HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n",
            "interim then two lengths | GET  | 502    | HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab",
    })
    void anAnswerThatIsAmbiguousOrInvalidIsA502AndItsConnectionIsNeverReused(String what, String method,
                                                                             String jdkClient, String answer)
            throws Exception {
        badAnswer = unescape(answer);
        // java.net.http normalises these before the gateway sees the answer and hands over no raw
        // bytes: with that client the gateway cannot tell; it must still never answer 500 or leak.
        boolean hidden = jdkClient.equals("hidden") && "jdk".equals(System.getProperty("test.upstream.client"));
        try (RawClient client = new RawClient(answers.port())) {
            client.send(method + " /prometheus/api/v1/query?case=bad HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "
                    + TOKEN + "\r\n\r\n");
            String relayed = method.equals("HEAD") ? client.head() : client.answer();
            if (hidden) {
                assertThat(relayed).as(what).startsWith("HTTP/1.1 ").doesNotStartWith("HTTP/1.1 500");
            } else {
                assertThat(relayed).as(what).startsWith("HTTP/1.1 502 ");
                if (!method.equals("HEAD")) {
                    assertThat(relayed).as(what).endsWith("\r\n\r\nBad Gateway\n");
                }
            }
        }
        try (RawClient next = new RawClient(answers.port())) {
            next.send("GET /prometheus/api/v1/query?case=good HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "
                    + Tokens.forTenant("tenant-b") + "\r\n\r\n");
            assertThat(next.answer()).as(what + ": the next request").startsWith("HTTP/1.1 200 ").endsWith("fresh");
        }
        assertThat(goodTenantSeen).isEqualTo("X-Scope-OrgID: tenant-b");
        if (!hidden) {
            assertThat(goodConnection.get()).as(what + ": a fresh upstream connection").isNotEqualTo(badConnection.get());
        }
        assertThat(answers.logs()).doesNotContain("level=error");
    }
}

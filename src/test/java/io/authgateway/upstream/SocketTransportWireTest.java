package io.authgateway.upstream;

import io.authgateway.routing.Mode;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;

import static io.authgateway.testing.RecordingUpstream.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The socket client against an upstream that misbehaves on purpose: framing it must refuse, and
 * connection reuse that must never hand one request's leftovers to the next.
 */
class SocketTransportWireTest {

    private final String auth = "Bearer " + Tokens.forTenant("tenant-1");
    private RecordingUpstream upstream;
    private TestGateway gateway;

    private void start(RecordingUpstream.Script script) throws IOException {
        upstream = RecordingUpstream.scripted(script);
        gateway = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.upstream.client=socket", "-gateway.upstream.timeout=2s").start();
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> query(String path) throws Exception {
        return gateway.get(path, "Authorization", auth);
    }

    @Test
    void reusesOneKeepAliveConnectionForSequentialRequests() throws Exception {
        start((connection, request, head, in, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        for (int i = 0; i < 5; i++) {
            assertThat(query("/prometheus/api/v1/query?i=" + i).body()).isEqualTo("ok");
        }
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void bytesBeyondContentLengthNeverReachTheNextRequest() throws Exception {
        start((connection, request, head, in, out) -> {
            if (connection == 1) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nLEAKED");
            } else {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
            }
            return true;
        });
        HttpResponse<String> first = query("/prometheus/api/v1/query?first");
        assertThat(first.statusCode()).as("an answer with bytes beyond its end is ambiguous").isEqualTo(502);
        assertThat(query("/prometheus/api/v1/query?second").body()).isEqualTo("fresh");
        assertThat(upstream.connections()).isEqualTo(2);
    }

    @Test
    void refusesAmbiguousFraming() throws Exception {
        start((connection, request, head, in, out) -> {
            if (head.contains("both")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            } else if (head.contains("conflict")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
            } else if (head.contains("folded")) {
                write(out, "HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued\r\nContent-Length: 2\r\n\r\nok");
            } else if (head.contains("huge")) {
                write(out, "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70_000) + "\r\nContent-Length: 2\r\n\r\nok");
            } else {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            return true;
        });
        for (String bad : new String[] {"both", "conflict", "folded", "huge"}) {
            HttpResponse<String> response = query("/prometheus/api/v1/query?" + bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(502);
            assertThat(response.body()).isEqualTo("Bad Gateway\n");
        }
        assertThat(query("/prometheus/api/v1/query?good").body()).isEqualTo("ok");
        assertThat(gateway.logs()).contains("Transfer-Encoding and Content-Length", "more than one Content-Length",
                "obsolete header line folding", "head larger than the limit");
    }

    @Test
    void anUpstreamThatDiesMidBodyNeverProducesACompleteLookingAnswer() throws Exception {
        start((connection, request, head, in, out) -> {
            if (head.contains("die")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-ten!!");
                return false;
            }
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        });
        Throwable failure = catchThrowable(() -> query("/prometheus/api/v1/query?die"));
        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(query("/prometheus/api/v1/query?after").body()).isEqualTo("ok");
        assertThat(gateway.logs()).contains("upstream broke off its answer");
    }

    @Test
    void decodesChunkedAnswersAndRejectsBrokenChunks() throws Exception {
        start((connection, request, head, in, out) -> {
            if (head.contains("broken")) {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
                return false;
            }
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
            return true;
        });
        assertThat(query("/prometheus/api/v1/query?chunked").body()).isEqualTo("hello world");
        assertThat(query("/prometheus/api/v1/query?chunked-again").body()).isEqualTo("hello world");
        assertThat(upstream.connections()).isEqualTo(1);
        assertThat(catchThrowable(() -> query("/prometheus/api/v1/query?broken"))).isInstanceOf(IOException.class);
    }

    @Test
    void http10AndConnectionCloseAnswersAreReadToTheEndAndNotReused() throws Exception {
        start((connection, request, head, in, out) -> {
            if (head.contains("old")) {
                write(out, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil-close body");
            } else {
                write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nclose");
            }
            return false;
        });
        assertThat(query("/prometheus/api/v1/query?old").body()).isEqualTo("until-close body");
        assertThat(query("/prometheus/api/v1/query?new").body()).isEqualTo("close");
        assertThat(query("/prometheus/api/v1/query?new").body()).isEqualTo("close");
        assertThat(upstream.connections()).isEqualTo(3);
    }

    @Test
    void aPooledConnectionTheUpstreamClosedIsReplacedTransparently() throws Exception {
        start((connection, request, head, in, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return false; // closes after each answer without saying so
        });
        assertThat(query("/prometheus/api/v1/query?1").body()).isEqualTo("ok");
        Thread.sleep(100);
        assertThat(query("/prometheus/api/v1/query?2").body()).isEqualTo("ok");
        assertThat(query("/prometheus/api/v1/query?3").statusCode()).isEqualTo(200);
    }

    @Test
    void interimAnswersAreSkippedAndHeadAnswersHaveNoBody() throws Exception {
        start((connection, request, head, in, out) -> {
            if (head.startsWith("HEAD")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
            } else {
                write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                        + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");
            }
            return true;
        });
        HttpResponse<String> created = query("/prometheus/api/v1/query");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("done");
        // Repeated, because a connection handed back only after the client saw its answer would make
        // the next request open a second one now and then.
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> head = gateway.send(gateway.request("/prometheus/api/v1/labels")
                    .header("Authorization", auth).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(query("/prometheus/api/v1/query?after-head").body()).isEqualTo("done");
        }
        assertThat(upstream.connections()).isEqualTo(1);
    }

    @Test
    void silentUpstreamIsAGatewayTimeout() throws Exception {
        start((connection, request, head, in, out) -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        long started = System.nanoTime();
        HttpResponse<String> response = query("/prometheus/api/v1/query");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1500L, 4500L);
    }

    @Test
    void requestHeadIsWrittenByteForByte() throws Exception {
        StringBuilder seen = new StringBuilder();
        start((connection, request, head, in, out) -> {
            seen.append(head);
            write(out, "HTTP/1.1 204 No Content\r\n\r\n");
            return true;
        });
        assertThat(gateway.get("/prometheus/api/v1/query?q=%7Bjob%3D%22a%22%7D&x=a+b", "Authorization", auth,
                "X-Scope-OrgID", "spoofed").statusCode()).isEqualTo(204);
        String head = seen.toString();
        assertThat(head).startsWith("GET /prometheus/api/v1/query?q=%7Bjob%3D%22a%22%7D&x=a+b HTTP/1.1\r\nHost: 127.0.0.1:");
        assertThat(head.toLowerCase()).contains("x-scope-orgid: tenant-1\r\n").doesNotContain("spoofed")
                .doesNotContain("content-length").doesNotContain("transfer-encoding");
    }
}

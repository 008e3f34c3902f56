package io.authgateway.socketserver;

import io.authgateway.proxy.SocketInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHeadTest {

    private static final ServerLimits LIMITS = new ServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(120), 0,
            4096, 10);

    private static RequestHead parse(String head, int bufferSize) throws Exception {
        SocketInput in = new SocketInput(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
        return RequestHead.read(in, LIMITS);
    }

    private static int status(String head) {
        try {
            parse(head, 16 * 1024);
            return 0;
        } catch (RequestHead.BadRequest e) {
            return e.status;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsRequestLineAndHeadersWithNamesInTheJdkServersForm() throws Exception {
        for (int bufferSize : new int[] {7, 16 * 1024}) { // byte by byte and straight from the buffer
            RequestHead head = parse("\r\nPOST /api/v1/push?x=1 HTTP/1.1\r\nHost: gw\r\ncontent-TYPE:  application/x-protobuf \r\n"
                    + "X-Scope-OrgID: a\r\nx-scope-orgid: b\r\nEmpty:\r\n\r\nbody", bufferSize);
            assertThat(head.method()).isEqualTo("POST");
            assertThat(head.target()).isEqualTo("/api/v1/push?x=1");
            assertThat(head.http10()).isFalse();
            assertThat(head.headers().keySet()).containsExactlyInAnyOrder("Host", "Content-type", "X-scope-orgid", "Empty");
            assertThat(head.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(head.headers().get("X-Scope-OrgID")).isEqualTo(List.of("a", "b"));
            assertThat(head.headers().getFirst("empty")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "folded header line       | GET / HTTP/1.1\\r\\nA: b\\r\\n c\\r\\n\\r\\n                 | 400",
            "bare LF                  | GET / HTTP/1.1\\nHost: a\\n\\n                          | 400",
            "space before colon       | GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n                 | 400",
            "no colon                 | GET / HTTP/1.1\\r\\nHost\\r\\n\\r\\n                     | 400",
            "NUL in a value           | GET / HTTP/1.1\\r\\nA: b\\u0000c\\r\\n\\r\\n             | 400",
            "three parts missing      | GET /\\r\\n\\r\\n                                      | 400",
            "space in the target      | GET /a b HTTP/1.1\\r\\n\\r\\n                           | 400",
            "method with a separator  | GE(T / HTTP/1.1\\r\\n\\r\\n                             | 400",
            "HTTP/2 over HTTP/1       | GET / HTTP/2.0\\r\\n\\r\\n                               | 505",
            "not HTTP at all          | GET / SPDY/3\\r\\n\\r\\n                                 | 400",
            "more header lines than 10| GET / HTTP/1.1\\r\\nA: 1\\r\\nA: 2\\r\\nA: 3\\r\\nA: 4\\r\\nA: 5\\r\\nA: 6\\r\\nA: 7\\r\\nA: 8\\r\\nA: 9\\r\\nA: 10\\r\\nA: 11\\r\\n\\r\\n | 431",
    })
    void refusesHeadsThatBreakTheRules(String what, String head, int status) {
        assertThat(status(head.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000")))
                .as(what).isEqualTo(status);
    }

    @Test
    void aHeadOverTheByteLimitIs431() {
        assertThat(status("GET / HTTP/1.1\r\nA: " + "x".repeat(5000) + "\r\n\r\n")).isEqualTo(431);
        assertThat(status("GET / HTTP/1.1\r\nA: " + "x".repeat(4000) + "\r\n\r\n")).isZero();
    }

    @Test
    void aConnectionThatEndsInsideTheHeadIsAnEndOfStreamNotARequest() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: a", 64)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> parse("", 64)).isInstanceOf(EOFException.class);
    }

    @ParameterizedTest(name = "TE {0}, CL {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-        | -      | 0",
            "-        | 42     | 42",
            "chunked  | -      | -1",
            "CHUNKED  | -      | -1",
            "chunked  | 5      | 400",
            "gzip     | -      | 501",
            "gzip, chunked | - | 501",
            "-        | -1     | 400",
            "-        | 1,2    | 400",
            "-        | +5     | 400",
            "-        | 12345678901234567890 | 400",
    })
    void bodyFramingFollowsTheJdkServersRules(String transferEncoding, String contentLength, long expected) {
        List<String> te = transferEncoding == null ? null : List.of(transferEncoding);
        List<String> cl = contentLength == null ? null : List.of(contentLength.replace(",", ", "));
        long result;
        try {
            result = ClientConnection.bodyLength(te, cl);
        } catch (RequestHead.BadRequest e) {
            result = e.status;
        }
        assertThat(result).isEqualTo(expected);
    }
}

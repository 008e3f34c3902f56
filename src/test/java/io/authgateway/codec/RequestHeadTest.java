package io.authgateway.codec;

import io.authgateway.testing.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHeadTest {

    private static final HeadLimits LIMITS = new HeadLimits(100, 4096, 10);

    private static RequestHead parse(String head, int bufferSize) throws Exception {
        WireInput in = new WireInput(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
        return RequestHead.read(in, LIMITS);
    }

    /** 0 when the head parses (and has exactly one Host), else the status the server answers. */
    static int status(String head) {
        try {
            parse(head, 16 * 1024).host();
            return 0;
        } catch (HttpProtocolException e) {
            return e.status();
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
            assertThat(head.host()).isEqualTo("gw");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "folded header line       | GET / HTTP/1.1\\r\\nHost: a\\r\\nA: b\\r\\n c\\r\\n\\r\\n  | 400",
            "bare LF after the line   | GET / HTTP/1.1\\nHost: a\\r\\n\\r\\n                   | 400",
            "bare LF after a header   | GET / HTTP/1.1\\r\\nHost: a\\n\\r\\n                   | 400",
            "CR without LF            | GET / HTTP/1.1\\rHost: a\\r\\n\\r\\n                   | 400",
            "space before colon       | GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n               | 400",
            "no colon                 | GET / HTTP/1.1\\r\\nHost\\r\\n\\r\\n                   | 400",
            "NUL in a value           | GET / HTTP/1.1\\r\\nHost: a\\r\\nA: b\\u0000c\\r\\n\\r\\n | 400",
            "vertical tab in a value  | GET / HTTP/1.1\\r\\nHost: a\\r\\nA: \\u000bb\\r\\n\\r\\n  | 400",
            "three parts missing      | GET /\\r\\n\\r\\n                                      | 400",
            "two spaces               | GET  / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n               | 400",
            "tab as separator         | GET\\t/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n              | 400",
            "space in the target      | GET /a b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n             | 400",
            "method with a separator  | GE(T / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n               | 400",
            "HTTP/2 over HTTP/1       | GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n                | 505",
            "HTTP/1.2                 | GET / HTTP/1.2\\r\\nHost: a\\r\\n\\r\\n                | 505",
            "lower-case version       | GET / http/1.1\\r\\nHost: a\\r\\n\\r\\n                | 400",
            "not HTTP at all          | GET / SPDY/3\\r\\nHost: a\\r\\n\\r\\n                  | 400",
            "no Host                  | GET / HTTP/1.1\\r\\nA: b\\r\\n\\r\\n                   | 400",
            "two Host lines           | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: a\\r\\n\\r\\n   | 400",
            "Host with a slash        | GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n              | 400",
            "Host with user info      | GET / HTTP/1.1\\r\\nHost: u@a\\r\\n\\r\\n              | 400",
            "more header lines than 10| GET / HTTP/1.1\\r\\nHost: a\\r\\nA: 2\\r\\nA: 3\\r\\nA: 4\\r\\nA: 5\\r\\nA: 6\\r\\nA: 7\\r\\nA: 8\\r\\nA: 9\\r\\nA: 10\\r\\nA: 11\\r\\n\\r\\n | 431",
            "HTTP/1.0 without Host    | GET / HTTP/1.0\\r\\n\\r\\n                            | 0",
            "empty Host               | GET / HTTP/1.1\\r\\nHost:\\r\\n\\r\\n                   | 0",
            "IPv6 Host with port      | GET / HTTP/1.1\\r\\nHost: [::1]:80\\r\\n\\r\\n          | 0",
    })
    void refusesHeadsThatBreakTheRules(String what, String head, int status) {
        assertThat(status(Wire.unescape(head.strip()))).as(what).isEqualTo(status);
    }

    @Test
    void aTargetOverItsLimitIs414AndAHeadOverTheByteLimitIs431() {
        assertThat(status("GET /" + "x".repeat(100) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(414);
        assertThat(status("GET /" + "x".repeat(99) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isZero();
        assertThat(status("GET /" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(414);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nA: " + "x".repeat(5000) + "\r\n\r\n")).isEqualTo(431);
        assertThat(status("GET / HTTP/1.1\r\nHost: a\r\nA: " + "x".repeat(4000) + "\r\n\r\n")).isZero();
    }

    @Test
    void aConnectionThatEndsInsideTheHeadIsAnEndOfStreamNotARequest() throws Exception {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost: a", 64)).isInstanceOf(EOFException.class);
        assertThat(parse("", 64)).isNull();
    }
}

package io.authgateway.codec;

import io.authgateway.testing.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyInputTest {

    /** The decoded body, "400" for a framing error, "eof" for an early end; "|rest" shows what stayed unread. */
    private static String decode(String wire, BodyFraming framing, int bufferSize) {
        WireInput in = new WireInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), bufferSize);
        BodyInput body = new BodyInput(in, framing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            byte[] buffer = new byte[3];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1) + "~" + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (HttpProtocolException e) {
            return Integer.toString(e.status());
        } catch (EOFException e) {
            return "eof";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }


    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "one chunk                 | 5\\r\\nhello\\r\\n0\\r\\n\\r\\nNEXT       | hello~NEXT",
            "two chunks                | 2\\r\\nhe\\r\\n3\\r\\nllo\\r\\n0\\r\\n\\r\\n | hello~",
            "upper-case hex            | A\\r\\n0123456789\\r\\n0\\r\\n\\r\\n      | 0123456789~",
            "leading zeros             | 0005\\r\\nhello\\r\\n000\\r\\n\\r\\n      | hello~",
            "extension                 | 5;name=value\\r\\nhello\\r\\n0\\r\\n\\r\\n | hello~",
            "quoted extension          | \"5;a=\"\"x;y\"\"\\r\\nhello\\r\\n0\\r\\n\\r\\n\" | hello~",
            "extension with white space| 5 ; a = b\\r\\nhello\\r\\n0\\r\\n\\r\\n   | hello~",
            "trailers                  | 5\\r\\nhello\\r\\n0\\r\\nX-Sum: 1\\r\\n\\r\\nNEXT | hello~NEXT",
            "size 2^32+5               | 100000005\\r\\nhello\\r\\n0\\r\\n\\r\\n  | eof",
            "size overflows a long     | 10000000000000000\\r\\nx\\r\\n       | 400",
            "sixteen f                 | ffffffffffffffff\\r\\nx\\r\\n        | 400",
            "negative size             | -5\\r\\nhello\\r\\n0\\r\\n\\r\\n         | 400",
            "plus sign                 | +5\\r\\nhello\\r\\n0\\r\\n\\r\\n         | 400",
            "0x prefix                 | 0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n        | 400",
            "space before the size     | \" 5\\r\\nhello\\r\\n0\\r\\n\\r\\n\"      | 400",
            "space after the size      | \"5 \\r\\nhello\\r\\n0\\r\\n\\r\\n\"      | 400",
            "tab after the size        | 5\\t\\r\\nhello\\r\\n0\\r\\n\\r\\n        | 400",
            "empty size line           | \\r\\nhello\\r\\n0\\r\\n\\r\\n            | 400",
            "bare LF after the size    | 5\\nhello\\r\\n0\\r\\n\\r\\n             | 400",
            "bare LF after the data    | 5\\r\\nhello\\n0\\r\\n\\r\\n             | 400",
            "chunk longer than its size| 5\\r\\nhello!\\r\\n0\\r\\n\\r\\n         | 400",
            "chunk shorter than size   | 6\\r\\nhello\\r\\n0\\r\\n\\r\\n          | 400",
            "no CRLF after the data    | 5\\r\\nhello0\\r\\n\\r\\n                | 400",
            "extension without a name  | 5;=x\\r\\nhello\\r\\n0\\r\\n\\r\\n        | 400",
            "unterminated quote        | \"5;a=\"\"x\\r\\nhello\\r\\n0\\r\\n\\r\\n\" | 400",
            "folded trailer            | 5\\r\\nhello\\r\\n0\\r\\nA: b\\r\\n c\\r\\n\\r\\n | 400",
            "trailer without a name    | 5\\r\\nhello\\r\\n0\\r\\n: b\\r\\n\\r\\n | 400",
            "ends inside a chunk       | 5\\r\\nhel                                 | eof",
            "ends before the last chunk| 5\\r\\nhello\\r\\n                         | eof",
            "ends inside the trailers  | 5\\r\\nhello\\r\\n0\\r\\n                  | eof",
    })
    void decodesTheChunkedGrammarStrictly(String what, String wire, String expected) {
        for (int bufferSize : new int[] {4, 8192}) {
            assertThat(decode(Wire.unescape(wire), BodyFraming.CHUNKED, bufferSize)).as(what + ", buffer " + bufferSize)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aSizeLineLongerThanTheLimitIsRefused() {
        String extension = "5;" + "a".repeat(ChunkedGrammar.MAX_SIZE_LINE) + "\r\nhello\r\n0\r\n\r\n";
        assertThat(decode(extension, BodyFraming.CHUNKED, 8192)).isEqualTo("400");
    }

    @Test
    void aFixedBodyEndsAtItsLengthAndAnEarlyEndIsNoShortBody() {
        assertThat(decode("helloNEXT", new BodyFraming.Fixed(5), 8192)).isEqualTo("hello~NEXT");
        assertThat(decode("hel", new BodyFraming.Fixed(5), 8192)).isEqualTo("eof");
    }

    @Test
    void countsDecodedBytesAndTellsTheListenerOnceItEnded() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        WireInput in = new WireInput(new ByteArrayInputStream("5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 64);
        BodyInput body = new BodyInput(in, BodyFraming.CHUNKED, new BodyInput.Listener() {
            @Override
            public void beforeFirstRead() {
                first.incrementAndGet();
            }

            @Override
            public void ended() {
                ended.incrementAndGet();
            }
        });
        assertThat(first).hasValue(0);
        assertThat(body.readAllBytes()).hasSize(5);
        assertThat(body.read()).isEqualTo(-1);
        assertThat(body.count()).isEqualTo(5);
        assertThat(first).hasValue(1);
        assertThat(ended).hasValue(1);
        assertThat(body.finished()).isTrue();
    }

    @Test
    void aFailedBodyStaysFailed() {
        WireInput in = new WireInput(new ByteArrayInputStream("x\r\n".getBytes(StandardCharsets.US_ASCII)), 64);
        BodyInput body = new BodyInput(in, BodyFraming.CHUNKED);
        assertThatThrownBy(body::read).isInstanceOf(HttpProtocolException.class);
        assertThatThrownBy(body::read).isInstanceOf(HttpProtocolException.class);
        assertThat(body.failed()).isTrue();
        assertThat(body.drain(100)).isFalse();
    }

    @Test
    void aFixedBodyLongerThanTheDrainLimitIsNotReadAtAll() throws Exception {
        WireInput in = new WireInput(new ByteArrayInputStream(new byte[200]), 64);
        BodyInput body = new BodyInput(in, new BodyFraming.Fixed(200));
        assertThat(body.drain(100)).isFalse();
        assertThat(body.count()).isZero();
        assertThat(body.drain(200)).isTrue();
    }
}

package io.authgateway.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BodyFramingTest {

    /** A framing as a short text (none, fixed:N, chunked, close), or the status of the refusal. */
    private static String request(String transferEncoding, String contentLength, boolean http10) {
        try {
            return describe(BodyFraming.ofRequest(headers(transferEncoding, contentLength), http10));
        } catch (HttpProtocolException e) {
            return Integer.toString(e.status());
        }
    }

    private static String response(String method, int status, String transferEncoding, String contentLength) {
        try {
            return describe(BodyFraming.ofResponse(method, status, headers(transferEncoding, contentLength)));
        } catch (HttpProtocolException e) {
            return "refused";
        }
    }

    /** Values separated by {@code /} become separate header lines. */
    private static WireHeaders headers(String transferEncoding, String contentLength) {
        WireHeaders headers = new WireHeaders();
        if (transferEncoding != null) {
            for (String value : transferEncoding.split("/")) {
                headers.add("Transfer-Encoding", value);
            }
        }
        if (contentLength != null) {
            for (String value : contentLength.split("/")) {
                headers.add("Content-Length", value);
            }
        }
        return headers;
    }

    private static String describe(BodyFraming framing) {
        return switch (framing) {
            case BodyFraming.None none -> "none";
            case BodyFraming.Fixed fixed -> "fixed:" + fixed.length();
            case BodyFraming.Chunked chunked -> "chunked";
            case BodyFraming.UntilClose close -> "close";
        };
    }

    @ParameterizedTest(name = "TE {0}, CL {1}, 1.0 {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-              | -                    | false | none",
            "-              | 42                   | false | fixed:42",
            "-              | 0                    | false | none",
            "-              | 007                  | false | fixed:7",
            "chunked        | -                    | false | chunked",
            "CHUNKED        | -                    | false | chunked",
            "chunked        | 5                    | false | 400",
            "chunked        | -                    | true  | 400",
            "gzip           | -                    | false | 400",
            "gzip, chunked  | -                    | false | 501",
            "chunked/chunked| -                    | false | 501",
            "chunked, gzip  | -                    | false | 400",
            "chunked,       | -                    | false | 400",
            "-              | -1                   | false | 400",
            "-              | -0                   | false | 400",
            "-              | +5                   | false | 400",
            "-              | 5, 96                | false | 400",
            "-              | 5/5                  | false | 400",
            "-              | 5 5                  | false | 400",
            "-              | 0x10                 | false | 400",
            "-              | ''                   | false | 400",
            "-              | 12345678901234567890 | false | 400",
    })
    void requestFramingIsCertainOrRefused(String transferEncoding, String contentLength, boolean http10, String expected) {
        assertThat(request(transferEncoding, contentLength, http10)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}, TE {2}, CL {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET  | 200 | -       | -     | close",
            "GET  | 200 | -       | 12    | fixed:12",
            "GET  | 200 | chunked | -     | chunked",
            "GET  | 200 | chunked | 12    | refused",
            "GET  | 200 | gzip    | -     | refused",
            "GET  | 200 | -       | 5, 96 | refused",
            "GET  | 200 | -       | 5/96  | refused",
            "GET  | 200 | -       | 5/5   | refused",
            "HEAD | 200 | -       | 12    | none",
            "HEAD | 200 | chunked | -     | none",
            "HEAD | 200 | -       | x     | refused",
            "GET  | 204 | -       | -     | none",
            "GET  | 204 | -       | 0     | refused",
            "GET  | 204 | chunked | -     | refused",
            "GET  | 304 | -       | 12    | none",
            "GET  | 304 | chunked | -     | refused",
            "GET  | 103 | -       | 5     | refused",
    })
    void answerFramingIsCertainOrRefused(String method, int status, String transferEncoding, String contentLength,
                                         String expected) {
        assertThat(response(method, status, transferEncoding, contentLength)).isEqualTo(expected);
    }
}

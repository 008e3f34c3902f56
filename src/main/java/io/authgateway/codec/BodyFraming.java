package io.authgateway.codec;

import com.sun.net.httpserver.Headers;

import java.util.List;

/**
 * How a message body is delimited (RFC 9112 §6), decided once per message from its head. This is
 * the one place that parses {@code Content-Length} and {@code Transfer-Encoding} and knows which
 * answers have no body. Anything whose length is not certain is refused, on both sides: both
 * framings, several lengths (even equal ones), a length that is not plain digits, a transfer
 * coding other than {@code chunked}, {@code Transfer-Encoding} in an HTTP/1.0 request.
 */
public sealed interface BodyFraming {

    /** No body at all. */
    record None() implements BodyFraming {
    }

    /** Exactly {@code length} bytes, at least one. */
    record Fixed(long length) implements BodyFraming {
    }

    /** Chunked transfer coding. */
    record Chunked() implements BodyFraming {
    }

    /** Everything until the upstream closes (an answer with neither header); the connection cannot be reused. */
    record UntilClose() implements BodyFraming {
    }

    BodyFraming NONE = new None();
    BodyFraming CHUNKED = new Chunked();
    BodyFraming UNTIL_CLOSE = new UntilClose();

    /** The framing of a request body; a request with neither header has none. */
    static BodyFraming ofRequest(Headers headers, boolean http10) throws HttpProtocolException {
        List<String> transferEncoding = headers.get("Transfer-Encoding");
        if (transferEncoding != null && http10) {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing
            throw HttpProtocolException.invalid("Transfer-Encoding in an HTTP/1.0 request");
        }
        return of(transferEncoding, headers.get("Content-Length"), NONE, 501);
    }

    /**
     * The framing of an answer to {@code method}. HEAD answers, 1xx, 204 and 304 never have a body;
     * a 204 or 1xx that announces one anyway, or a 304 with {@code Transfer-Encoding}, is refused.
     */
    static BodyFraming ofResponse(String method, int status, Headers headers) throws HttpProtocolException {
        List<String> transferEncoding = headers.get("Transfer-Encoding");
        List<String> contentLength = headers.get("Content-Length");
        if (status < 200 || status == 204) {
            if (transferEncoding != null || contentLength != null) {
                throw HttpProtocolException.invalid("framing header on a " + status + " answer");
            }
            return NONE;
        }
        if (status == 304 && transferEncoding != null) {
            throw HttpProtocolException.invalid("Transfer-Encoding on a 304 answer");
        }
        // validated even where it does not frame a body (HEAD, 304): an answer must be unambiguous
        BodyFraming framing = of(transferEncoding, contentLength, UNTIL_CLOSE, 502);
        return mayHaveBody(method, status) ? framing : NONE;
    }

    /** Whether an answer to {@code method} with {@code status} can carry a body (RFC 9110 §6.4.1). */
    static boolean mayHaveBody(String method, int status) {
        return status >= 200 && status != 204 && status != 304 && !method.equals("HEAD");
    }

    private static BodyFraming of(List<String> transferEncoding, List<String> contentLength, BodyFraming neither,
                                  int unknownCodingStatus) throws HttpProtocolException {
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw HttpProtocolException.invalid("both Transfer-Encoding and Content-Length");
            }
            checkCodings(transferEncoding, unknownCodingStatus);
            return CHUNKED;
        }
        if (contentLength == null) {
            return neither;
        }
        if (contentLength.size() != 1) {
            throw HttpProtocolException.invalid("more than one Content-Length");
        }
        long length = parseLength(contentLength.getFirst());
        return length == 0 ? NONE : new Fixed(length);
    }

    /**
     * The codings of all {@code Transfer-Encoding} lines, in order, must be exactly {@code chunked}:
     * if the last one is not chunked the length is unknown (400, RFC 9112 §6.3); another coding
     * before it is one the gateway does not implement ({@code unknownCodingStatus}: 501 for a
     * request, RFC 9112 §6.1).
     */
    private static void checkCodings(List<String> lines, int unknownCodingStatus) throws HttpProtocolException {
        int codings = 0;
        String last = "";
        for (String line : lines) {
            for (String coding : line.split(",", -1)) {
                last = HttpSyntax.trim(coding, 0, coding.length());
                if (!HttpSyntax.isToken(last)) {
                    throw HttpProtocolException.invalid("malformed Transfer-Encoding");
                }
                codings++;
            }
        }
        if (!last.equalsIgnoreCase("chunked")) {
            throw HttpProtocolException.invalid("chunked is not the final transfer coding");
        }
        if (codings != 1) {
            throw new HttpProtocolException(unknownCodingStatus, "transfer coding other than chunked");
        }
    }

    /** {@code Content-Length = 1*DIGIT} (RFC 9110 §8.6): no sign, no space, no list; up to 18 digits. */
    static long parseLength(String text) throws HttpProtocolException {
        if (text.isEmpty() || text.length() > 18) {
            throw HttpProtocolException.invalid("invalid Content-Length");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw HttpProtocolException.invalid("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The length argument of {@code HttpExchange.sendResponseHeaders}: -1 for none, 0 for streamed. */
    default long exchangeLength() {
        return switch (this) {
            case None none -> -1;
            case Fixed fixed -> fixed.length();
            case Chunked chunked -> 0;
            case UntilClose untilClose -> 0;
        };
    }

    /** The framing an exchange declared with {@code sendResponseHeaders(status, length)}. */
    static BodyFraming ofExchangeLength(long length, boolean http10) {
        if (length < 0) {
            return NONE;
        }
        if (length > 0) {
            return new Fixed(length);
        }
        return http10 ? UNTIL_CLOSE : CHUNKED;
    }
}

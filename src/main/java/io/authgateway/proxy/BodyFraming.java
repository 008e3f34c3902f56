package io.authgateway.proxy;

/**
 * How an upstream response body is delimited (RFC 9112 §6.3), decided once from the request
 * method, the status and the headers.
 */
public sealed interface BodyFraming {

    /** No body at all (HEAD, 1xx, 204, 304, or Content-Length: 0). */
    record None() implements BodyFraming {
    }

    /** Exactly {@code length} bytes. */
    record Fixed(long length) implements BodyFraming {
    }

    /** Chunked transfer coding. */
    record Chunked() implements BodyFraming {
    }

    /** Everything until the upstream closes; the connection cannot be reused. */
    record UntilClose() implements BodyFraming {
    }

    /** The body as a stream that ends exactly where this framing says (strict: an early EOF is an error). */
    default java.io.InputStream open(java.io.InputStream in) {
        return switch (this) {
            case None none -> java.io.InputStream.nullInputStream();
            case Fixed fixed -> new FixedLengthBodyInput(in, fixed.length());
            case Chunked chunked -> new ChunkedBodyInput(in);
            case UntilClose untilClose -> in;
        };
    }

    /** The length argument of {@code HttpExchange.sendResponseHeaders}: -1 for none, 0 for chunked. */
    default long exchangeLength() {
        return switch (this) {
            case None none -> -1;
            case Fixed fixed -> fixed.length();
            case Chunked chunked -> 0;
            case UntilClose untilClose -> 0;
        };
    }

    public static BodyFraming of(String method, ResponseHead head) throws HttpFramingException {
        int status = head.status();
        if (method.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return new None();
        }
        var transferEncoding = head.headers().get("transfer-encoding");
        var contentLength = head.headers().get("content-length");
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw new HttpFramingException("both Transfer-Encoding and Content-Length");
            }
            String last = transferEncoding.getLast();
            String[] codings = last.split(",");
            if (!codings[codings.length - 1].strip().equalsIgnoreCase("chunked")) {
                return new UntilClose();
            }
            return new Chunked();
        }
        if (contentLength != null) {
            long length = -1;
            for (String value : contentLength) {
                for (String part : value.split(",")) {
                    long parsed = parseLength(part.strip());
                    if (length >= 0 && parsed != length) {
                        throw new HttpFramingException("conflicting Content-Length values");
                    }
                    length = parsed;
                }
            }
            return length == 0 ? new None() : new Fixed(length);
        }
        return new UntilClose();
    }

    private static long parseLength(String text) throws HttpFramingException {
        if (text.isEmpty() || text.length() > 18) {
            throw new HttpFramingException("invalid Content-Length");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpFramingException("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

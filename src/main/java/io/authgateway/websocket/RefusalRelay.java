package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.proxy.ProxyHeaders;
import io.authgateway.proxy.ProxyOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Relays an upstream's answer other than 101 (an error for a bad query, 401 from a misconfigured
 * upstream, 404…) to the client through the exchange, like any proxied answer: status, end-to-end
 * headers and the body, decoded from its upstream framing and streamed.
 */
final class RefusalRelay {

    private static final int BUFFER_SIZE = 16 * 1024;

    private RefusalRelay() {
    }

    static ProxyOutcome relay(HttpExchange exchange, ResponseHead head, InputStream upstream, Duration headersAfter) {
        int status = head.status();
        boolean bodyless = status == 204 || status == 304 || status < 200;
        String chunked = head.first("transfer-encoding");
        long declared = bodyless ? 0 : contentLength(head);
        InputStream body = bodyless ? InputStream.nullInputStream()
                : chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked") ? new ChunkedBodyInputStream(upstream)
                : declared >= 0 ? new BoundedInputStream(upstream, declared)
                : upstream;
        try {
            ProxyHeaders.forResponse(head.headers(), exchange.getResponseHeaders());
            boolean fixed = declared >= 0 && chunked == null;
            exchange.sendResponseHeaders(status, bodyless || fixed && declared == 0 ? -1 : fixed ? declared : 0);
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            out.close();
            return new ProxyOutcome.Relayed(status, headersAfter);
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(status, false, "refused upgrade relay ended early: " + e);
        }
    }

    private static long contentLength(ResponseHead head) {
        String value = head.first("content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** At most {@code limit} bytes of the underlying stream. */
    private static final class BoundedInputStream extends InputStream {

        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new java.io.EOFException("body shorter than its Content-Length");
            }
            remaining -= n;
            return n;
        }
    }
}

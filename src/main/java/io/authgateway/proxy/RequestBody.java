package io.authgateway.proxy;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How the client's request body is framed towards the upstream, and the copy itself: a known
 * Content-Length is sent as is, a chunked client body is re-chunked as it arrives. Failures reading
 * from the client are {@link ClientGoneException}s, so they are never blamed on the upstream.
 */
final class RequestBody {

    /** Bodies up to this size (with the head) get a buffer of their own; larger ones a pooled one. */
    private static final int SMALL_BODY = 16 * 1024;

    /** -1 for chunked, else the exact length (0 = no body). */
    private final long length;
    private final boolean sendZeroLength;
    private long consumed;

    private RequestBody(long length, boolean sendZeroLength) {
        this.length = length;
        this.sendZeroLength = sendZeroLength;
    }

    static RequestBody of(HttpExchange exchange) {
        var headers = exchange.getRequestHeaders();
        String transferEncoding = headers.getFirst("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new RequestBody(-1, false);
        }
        String contentLength = headers.getFirst("Content-Length");
        long length = contentLength == null ? 0 : Long.parseLong(contentLength.strip());
        String method = exchange.getRequestMethod();
        boolean expectsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        return new RequestBody(length, length == 0 && (contentLength != null || expectsBody));
    }

    /** The framing header line for the upstream request, or null for none. */
    String framingHeader() {
        if (length < 0) {
            return "Transfer-Encoding: chunked";
        }
        if (length > 0 || sendZeroLength) {
            return "Content-Length: " + length;
        }
        return null;
    }

    long consumed() {
        return consumed;
    }

    /**
     * Sends the request head and the body. A fixed-length body goes out in writes of up to one
     * pooled buffer (64 KiB), the head in the first of them: each write to a loopback or LAN
     * upstream costs a wake-up of its reader, so a 100 KiB push is two writes, not one per read
     * from the client. A chunked body is streamed chunk by chunk as it arrives.
     */
    void send(byte[] head, InputStream client, OutputStream upstream, BufferPool pool) throws IOException {
        if (length == 0) {
            upstream.write(head);
            return;
        }
        boolean pooled = length < 0 || head.length + length > SMALL_BODY;
        byte[] buffer = pooled ? pool.take() : new byte[head.length + (int) length];
        try {
            if (length > 0) {
                sendFixed(head, client, upstream, buffer);
            } else {
                upstream.write(head);
                copyChunked(client, upstream, buffer);
            }
        } finally {
            if (pooled) {
                pool.give(buffer);
            }
        }
    }

    private void sendFixed(byte[] head, InputStream client, OutputStream upstream, byte[] buffer) throws IOException {
        int filled = 0;
        if (head.length <= buffer.length / 2) {
            System.arraycopy(head, 0, buffer, 0, head.length);
            filled = head.length;
        } else {
            upstream.write(head);
        }
        long remaining = length;
        while (remaining > 0) {
            int n = readClient(client, buffer, filled, (int) Math.min(buffer.length - filled, remaining));
            if (n < 0) {
                throw new ClientGoneException("request body ended " + remaining + " bytes early");
            }
            filled += n;
            remaining -= n;
            if (filled == buffer.length || remaining == 0) {
                upstream.write(buffer, 0, filled);
                filled = 0;
            }
        }
    }

    private void copyChunked(InputStream client, OutputStream upstream, byte[] buffer) throws IOException {
        for (int n; (n = readClient(client, buffer, 0, buffer.length)) >= 0; ) {
            if (n == 0) {
                continue;
            }
            upstream.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            upstream.write(buffer, 0, n);
            upstream.write('\r');
            upstream.write('\n');
        }
        upstream.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private int readClient(InputStream client, byte[] buffer, int offset, int max) throws ClientGoneException {
        try {
            int n = client.read(buffer, offset, max);
            if (n > 0) {
                consumed += n;
            }
            return n;
        } catch (IOException e) {
            throw new ClientGoneException(e.toString());
        }
    }

    /** Reading the client's body failed: the client went away or sent a broken body. */
    static final class ClientGoneException extends IOException {
        ClientGoneException(String message) {
            super(message);
        }
    }
}

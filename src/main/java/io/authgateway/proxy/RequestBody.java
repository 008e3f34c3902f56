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

    private static final int BUFFER_SIZE = 16 * 1024;

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

    void copyTo(InputStream client, OutputStream upstream) throws IOException {
        if (length == 0) {
            return;
        }
        byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, length < 0 ? BUFFER_SIZE : length)];
        if (length > 0) {
            copyFixed(client, upstream, buffer);
        } else {
            copyChunked(client, upstream, buffer);
        }
    }

    private void copyFixed(InputStream client, OutputStream upstream, byte[] buffer) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int n = readClient(client, buffer, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new ClientGoneException("request body ended " + remaining + " bytes early");
            }
            upstream.write(buffer, 0, n);
            remaining -= n;
        }
    }

    private void copyChunked(InputStream client, OutputStream upstream, byte[] buffer) throws IOException {
        for (int n; (n = readClient(client, buffer, buffer.length)) >= 0; ) {
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

    private int readClient(InputStream client, byte[] buffer, int max) throws ClientGoneException {
        try {
            int n = client.read(buffer, 0, max);
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

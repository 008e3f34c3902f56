package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wraps an exchange's body streams (the way {@code HttpExchange.setStreams} intends for filters) to
 * count the bytes of request and response bodies for the message-size metrics.
 */
final class CountingStreams {

    private long requestBytes;
    private long responseBytes;

    static CountingStreams install(HttpExchange exchange) {
        CountingStreams counts = new CountingStreams();
        exchange.setStreams(new FilterInputStream(exchange.getRequestBody()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    counts.requestBytes++;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    counts.requestBytes += n;
                }
                return n;
            }
        }, new FilterOutputStream(exchange.getResponseBody()) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                counts.responseBytes++;
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                counts.responseBytes += length;
            }
        });
        return counts;
    }

    long requestBytes() {
        return requestBytes;
    }

    long responseBytes() {
        return responseBytes;
    }
}

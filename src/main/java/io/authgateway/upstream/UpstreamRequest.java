package io.authgateway.upstream;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BodyOutput;
import io.authgateway.codec.HeadWriter;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.WireOutput;

import java.io.IOException;
import java.io.InputStream;

/**
 * The request as the upstream gets it: the head ({@link HeadWriter}, with the headers
 * {@link ProxyHeaders} lets through, the gateway's own and the body framing) and the client's
 * body, streamed. A body with a length goes out with it, gathered with the head into as few
 * writes as the send buffer allows; a chunked one is re-chunked as it arrives. Failures reading
 * the client's body are {@link WireOutput.SourceException}s, so they are never blamed on the upstream.
 */
final class UpstreamRequest {

    private final byte[] head;
    private final BodyFraming framing;
    private boolean readClient;

    private UpstreamRequest(byte[] head, BodyFraming framing) {
        this.head = head;
        this.framing = framing;
    }

    /**
     * @throws IllegalArgumentException if a header cannot be sent (the server let nothing like that in)
     * @throws HttpProtocolException    if the request's framing is invalid (likewise)
     */
    static UpstreamRequest of(HttpExchange exchange, ForwardRequest request) throws HttpProtocolException {
        BodyFraming framing = BodyFraming.ofRequest(exchange.getRequestHeaders(), exchange.getProtocol().equals("HTTP/1.0"));
        HeadWriter head = HeadWriter.request(exchange.getRequestMethod(), request.originForm())
                .field("Host", Dialer.hostHeader(request.base()));
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(), head::field);
        request.addedHeaders().forEach(head::field);
        switch (framing) {
            case BodyFraming.Chunked chunked -> head.field("Transfer-Encoding", "chunked");
            case BodyFraming.Fixed fixed -> head.field("Content-Length", Long.toString(fixed.length()));
            default -> {
                if (expectsBody(exchange)) {
                    head.field("Content-Length", "0");
                }
            }
        }
        return new UpstreamRequest(head.bytes(), framing);
    }

    /** An empty body the client declared, or on a method that has one, is declared upstream too. */
    private static boolean expectsBody(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        return exchange.getRequestHeaders().containsKey("Content-Length")
                || method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** Writes head and body and flushes; the send buffer goes back to its pool either way. */
    void send(InputStream client, WireOutput upstream) throws IOException {
        try {
            upstream.write(head);
            switch (framing) {
                case BodyFraming.Fixed fixed -> {
                    readClient = true;
                    upstream.transferFrom(client, fixed.length());
                }
                case BodyFraming.Chunked chunked -> {
                    readClient = true;
                    copyChunked(client, upstream);
                }
                default -> {
                }
            }
            upstream.flush();
        } finally {
            upstream.release();
        }
    }

    /** Whether anything of the client's body may have been read: then the request cannot be sent again. */
    boolean readClient() {
        return readClient;
    }

    private static void copyChunked(InputStream client, WireOutput upstream) throws IOException {
        BodyOutput body = new BodyOutput(upstream, () -> { });
        body.start(BodyFraming.CHUNKED);
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            int n;
            try {
                n = client.read(buffer, 0, buffer.length);
            } catch (IOException e) {
                throw new WireOutput.SourceException(e);
            }
            if (n < 0) {
                break;
            }
            body.write(buffer, 0, n);
            if (client.available() == 0) {
                body.flush(); // a chunk that arrived goes on at once: streamed pushes are not held back
            }
        }
        body.close();
    }
}

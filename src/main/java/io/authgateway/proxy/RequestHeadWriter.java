package io.authgateway.proxy;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;

/**
 * Serialises the upstream request line and headers: origin-form target with path and query byte
 * for byte, {@code Host} of the upstream, the headers {@link ProxyHeaders} lets through, the
 * gateway's own, and the body framing. Refuses names or values that could split the message.
 */
final class RequestHeadWriter {

    private RequestHeadWriter() {
    }

    static byte[] write(HttpExchange exchange, ForwardRequest request, RequestBody body) {
        StringBuilder head = new StringBuilder(512);
        String method = exchange.getRequestMethod();
        requireToken(method, "method");
        head.append(method).append(' ').append(request.originForm());
        head.append(" HTTP/1.1\r\nHost: ").append(request.base().getRawAuthority()).append("\r\n");
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(),
                (name, value) -> header(head, name, value));
        request.addedHeaders().forEach((name, value) -> header(head, name, value));
        String framing = body.framingHeader();
        if (framing != null) {
            head.append(framing).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void header(StringBuilder head, String name, String value) {
        requireToken(name, "header name");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("header " + name + " has a value that cannot be forwarded");
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static void requireToken(String text, String what) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty " + what);
        }
        if (!HttpSyntax.isToken(text)) {
            throw new IllegalArgumentException("invalid " + what);
        }
    }
}

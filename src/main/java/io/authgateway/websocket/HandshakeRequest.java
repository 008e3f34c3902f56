package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.proxy.ForwardRequest;
import io.authgateway.proxy.ProxyHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The opening handshake sent upstream: {@code GET} with the client's path and query byte for byte,
 * the upstream's {@code Host}, {@code Upgrade: websocket} and {@code Connection: Upgrade}, then the
 * client's end-to-end headers as the HTTP proxy forwards them ({@code Sec-WebSocket-Key},
 * {@code -Version}, {@code -Protocol}, {@code -Extensions} among them) with {@code X-Scope-OrgID}
 * replaced by the authenticated tenant and the client's address appended to {@code X-Forwarded-For}.
 */
final class HandshakeRequest {

    private HandshakeRequest() {
    }

    static byte[] build(HttpExchange exchange, ForwardRequest request) {
        String path = request.target().getRawPath();
        String query = request.target().getRawQuery();
        StringBuilder head = new StringBuilder(1024)
                .append("GET ").append(path == null || path.isEmpty() ? "/" : path)
                .append(query == null ? "" : "?" + query).append(" HTTP/1.1\r\n")
                .append("Host: ").append(UpstreamDialer.hostHeader(request.target())).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n");
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(),
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}

package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.HeadWriter;
import io.authgateway.upstream.Dialer;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyHeaders;

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

    /** @throws IllegalArgumentException if a header cannot be sent */
    static byte[] build(HttpExchange exchange, ForwardRequest request) {
        HeadWriter head = HeadWriter.request("GET", request.originForm())
                .field("Host", Dialer.hostHeader(request.base()))
                .field("Upgrade", "websocket")
                .field("Connection", "Upgrade");
        ProxyHeaders.forRequest(exchange.getRequestHeaders(), request.tenant(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), request.withheldHeaders(), head::field);
        request.addedHeaders().forEach(head::field);
        return head.bytes();
    }
}

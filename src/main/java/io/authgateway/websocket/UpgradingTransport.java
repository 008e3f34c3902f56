package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyOutcome;
import io.authgateway.upstream.UpstreamTransport;

/**
 * Sends WebSocket handshakes ({@link UpgradeRequest#isRelayable}) to the {@link WebSocketProxy}
 * and every other request to the HTTP transport, so the request path before it (routing,
 * authentication, {@code X-Scope-OrgID}) is the same for both.
 */
public final class UpgradingTransport implements UpstreamTransport {

    private final WebSocketProxy webSockets;
    private final UpstreamTransport http;

    public UpgradingTransport(WebSocketProxy webSockets, UpstreamTransport http) {
        this.webSockets = webSockets;
        this.http = http;
    }

    @Override
    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        return UpgradeRequest.isRelayable(exchange) ? webSockets.forward(exchange, request) : http.forward(exchange, request);
    }

    @Override
    public void close() {
        webSockets.close();
        http.close();
    }
}

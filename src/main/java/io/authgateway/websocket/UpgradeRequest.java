package io.authgateway.websocket;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.HttpSyntax;

/**
 * Recognises a WebSocket opening handshake (RFC 6455 §4.1): {@code Upgrade: websocket} and a
 * {@code Connection} header naming {@code upgrade}. Also the {@code ws} metric label: true for
 * such a request whatever its outcome, as weaveworks' {@code IsWSHandshakeRequest}.
 */
public final class UpgradeRequest {

    private UpgradeRequest() {
    }

    /** The headers ask for a WebSocket (the {@code ws="true"} label). */
    public static boolean isWebSocket(Headers headers) {
        return HttpSyntax.hasToken(headers.get("Upgrade"), "websocket")
                && HttpSyntax.hasToken(headers.get("Connection"), "upgrade");
    }

    /**
     * The relay takes this request: a WebSocket handshake sent as a GET without a body. Anything
     * else is proxied as plain HTTP, where the hop-by-hop {@code Upgrade} header is dropped.
     */
    public static boolean isRelayable(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        if (!exchange.getRequestMethod().equals("GET") || !isWebSocket(headers)) {
            return false;
        }
        try {
            return BodyFraming.ofRequest(headers, exchange.getProtocol().equals("HTTP/1.0")) instanceof BodyFraming.None;
        } catch (HttpProtocolException e) {
            return false; // the server let nothing like that in; as plain HTTP it is refused again
        }
    }
}

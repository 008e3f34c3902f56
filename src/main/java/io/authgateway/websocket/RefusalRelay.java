package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.proxy.BodyFraming;
import io.authgateway.proxy.HttpFramingException;
import io.authgateway.proxy.ProxyFailure;
import io.authgateway.proxy.ProxyHeaders;
import io.authgateway.proxy.ProxyOutcome;
import io.authgateway.proxy.ResponseHead;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.io.OutputStream;

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
        BodyFraming framing;
        try {
            framing = BodyFraming.of("GET", head);
        } catch (HttpFramingException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "refused upgrade answer: " + e.getMessage());
        }
        try (InputStream body = framing.open(upstream)) {
            ProxyHeaders.forResponse(head.headers(), exchange.getResponseHeaders());
            exchange.sendResponseHeaders(status, framing.exchangeLength());
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
}

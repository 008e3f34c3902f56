package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.connection.RawConnection;
import io.authgateway.jdkserver.JdkConnectionAccess;
import io.authgateway.observability.Log;
import io.authgateway.proxy.ForwardRequest;
import io.authgateway.proxy.ProxyFailure;
import io.authgateway.proxy.ProxyOutcome;
import io.authgateway.proxy.ResponseHead;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Proxies an authenticated WebSocket handshake (Loki's {@code /loki/api/v1/tail} and
 * {@code /api/prom/tail}): the handshake goes to the upstream over a new connection; a 101 answer
 * is written to the client's raw connection and both connections are then joined by the
 * {@link TailRelay} until either side closes; any other answer is relayed as plain HTTP. Failures
 * before anything reached the client come back as {@link ProxyOutcome.Failed}, so the caller
 * answers them like any proxy failure (502, 504, 501 when the connection cannot be taken).
 */
public final class WebSocketProxy {

    private final ConnectionAccess access;
    private final UpstreamSettings settings;
    private final UpstreamDialer dialer;
    private final TailRelay relay;
    private final Log log;

    public WebSocketProxy(ConnectionAccess access, UpstreamSettings settings, TailRelay relay, Log log) {
        this.access = access;
        this.settings = settings;
        this.dialer = new UpstreamDialer(settings.dialTimeout());
        this.relay = relay;
        this.log = log;
    }

    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        Optional<RawConnection> client = access.take(exchange);
        if (client.isEmpty()) {
            String why = access instanceof ConnectionAccess.Unavailable(String reason) ? reason : "not the JDK server's exchange";
            return new ProxyOutcome.Failed(ProxyFailure.WEBSOCKET_UNAVAILABLE,
                    "cannot take the connection (start the JVM with " + JdkConnectionAccess.JVM_OPTION + "): " + why);
        }
        Duration timeout = settings.timeoutFor(request.upstream());
        Socket upstream;
        try {
            upstream = dialer.dial(request.target());
        } catch (SocketTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "dial timeout after " + settings.dialTimeout());
        } catch (IOException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + e);
        }
        try (upstream) {
            return handshake(exchange, request, client.get(), upstream, timeout);
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(0, true, "closing the upstream failed: " + e);
        }
    }

    private ProxyOutcome handshake(HttpExchange exchange, ForwardRequest request, RawConnection client, Socket upstream,
                                   Duration timeout) {
        InputStream upstreamIn;
        ResponseHead head;
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream(512);
        long handshakeStarted = System.nanoTime();
        try {
            upstream.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            OutputStream out = upstream.getOutputStream();
            out.write(HandshakeRequest.build(exchange, request));
            out.flush();
            upstreamIn = new BufferedInputStream(upstream.getInputStream());
            head = ResponseHead.read(upstreamIn, raw);
            while (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                raw.reset();
                head = ResponseHead.read(upstreamIn, raw);
            }
        } catch (SocketTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT, "no handshake answer within " + timeout);
        } catch (IOException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "handshake failed: " + e);
        }
        Duration headersAfter = Duration.ofNanos(System.nanoTime() - handshakeStarted);
        if (head.status() != 101) {
            return RefusalRelay.relay(exchange, head, upstreamIn, headersAfter);
        }
        return tail(exchange, request, client, upstream, upstreamIn, raw.toByteArray(), headersAfter);
    }

    private ProxyOutcome tail(HttpExchange exchange, ForwardRequest request, RawConnection client, Socket upstream,
                              InputStream upstreamIn, byte[] rawHead, Duration headersAfter) {
        String path = exchange.getRequestURI().getRawPath();
        long started = System.nanoTime();
        TailRelay.Result result;
        try {
            log.debug("websocket tail opening", "path", path, "org_id", request.tenant());
            result = relay.relay(client, rawHead, upstream, upstreamIn, path);
        } catch (IOException e) {
            finish(exchange);
            return new ProxyOutcome.Aborted(101, false, "client went away during the upgrade: " + e);
        }
        finish(exchange);
        log.info("websocket tail closed", "path", path, "org_id", request.tenant(), "closed_by", result.closedBy(),
                "err", result.error().isEmpty() ? null : result.error(),
                "duration_ms", (System.nanoTime() - started) / 1_000_000,
                "bytes_in", result.clientToUpstream(), "bytes_out", result.upstreamToClient());
        return new ProxyOutcome.Relayed(101, headersAfter);
    }

    /** Hands the exchange back to the JDK server's bookkeeping, recorded as a 101. */
    private void finish(HttpExchange exchange) {
        try {
            access.finishTaken(exchange, 101);
        } catch (IOException | RuntimeException e) {
            log.debug("could not finish an upgraded exchange", "err", e.toString());
        }
    }

    /** Open tails now (for the {@code open tails} gauge). */
    public int openTails() {
        return relay.open();
    }

    /** Closes every open tail, for shutdown. */
    public void closeAll() {
        relay.closeAll();
    }
}

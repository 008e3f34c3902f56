package io.authgateway.websocket;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BodyInput;
import io.authgateway.codec.BufferPool;
import io.authgateway.codec.HeadLimits;
import io.authgateway.codec.HeadWriter;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.HttpSyntax;
import io.authgateway.codec.ResponseHead;
import io.authgateway.codec.WireInput;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.observability.Log;
import io.authgateway.server.ConnectionControl;
import io.authgateway.server.RawConnection;
import io.authgateway.upstream.AnswerRelay;
import io.authgateway.upstream.Dialer;
import io.authgateway.upstream.UpstreamTls;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyFailure;
import io.authgateway.upstream.ProxyOutcome;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Proxies an authenticated WebSocket handshake (Loki's {@code /loki/api/v1/tail} and
 * {@code /api/prom/tail}): the handshake goes to the upstream over a new connection; a 101 answer
 * takes the client's connection out of HTTP ({@link ConnectionControl#upgrade}), is written to it,
 * and both connections are then joined by the {@link TailRelay} until either side closes; any
 * other answer is relayed as plain HTTP. Failures before anything reached the client come back as
 * {@link ProxyOutcome.Failed}, so the caller answers them like any proxy failure (502, 504).
 */
public final class WebSocketProxy {

    private static final int INPUT_BUFFER = 8 * 1024;

    private final UpstreamSettings settings;
    private final Dialer dialer;
    private final TailRelay tails;
    private final AnswerRelay refusals = new AnswerRelay(new BufferPool(16 * 1024, 8));
    private final Log log;

    public WebSocketProxy(UpstreamSettings settings, Optional<UpstreamTls> tls, TailRelay tails, Log log) {
        this.settings = settings;
        this.dialer = new Dialer(settings.dialTimeout(), tls);
        this.tails = tails;
        this.log = log;
    }

    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        Socket upstream;
        try {
            upstream = dialer.dial(request.target());
        } catch (Dialer.DialTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "dial timeout after " + settings.dialTimeout());
        } catch (IOException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + Log.describe(e));
        }
        try (upstream) {
            return handshake(exchange, request, upstream);
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(0, true, "closing the upstream failed: " + Log.describe(e));
        }
    }

    private ProxyOutcome handshake(HttpExchange exchange, ForwardRequest request, Socket upstream) {
        Duration timeout = settings.timeoutFor(request.upstream());
        long started = System.nanoTime();
        WireInput upstreamIn;
        ResponseHead head;
        try {
            upstream.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            OutputStream out = upstream.getOutputStream();
            out.write(HandshakeRequest.build(exchange, request));
            out.flush();
            upstreamIn = new WireInput(upstream.getInputStream(), INPUT_BUFFER);
            head = ResponseHead.read(upstreamIn, HeadLimits.DEFAULT);
            while (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                head = ResponseHead.read(upstreamIn, HeadLimits.DEFAULT);
            }
        } catch (IllegalArgumentException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_REQUEST, "handshake not expressible upstream: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT, "no handshake answer within " + timeout);
        } catch (HttpProtocolException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "handshake answer: " + e.getMessage());
        } catch (IOException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "handshake failed: " + Log.describe(e));
        }
        Duration headersAfter = Duration.ofNanos(System.nanoTime() - started);
        if (head.status() != 101) {
            return refused(exchange, head, upstreamIn, headersAfter);
        }
        if (!HttpSyntax.hasToken(head.headers().get("Upgrade"), "websocket")) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "101 answer without Upgrade: websocket");
        }
        return tail(exchange, request, head, upstream, upstreamIn, headersAfter);
    }

    /** An answer other than 101 (a bad query, a misconfigured upstream) goes to the client as any proxied answer. */
    private ProxyOutcome refused(HttpExchange exchange, ResponseHead head, WireInput upstreamIn, Duration headersAfter) {
        BodyFraming framing;
        try {
            framing = BodyFraming.ofResponse("GET", head.status(), head.headers());
        } catch (HttpProtocolException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "refused upgrade answer: " + e.getMessage());
        }
        BodyInput body = new BodyInput(upstreamIn, framing);
        return refusals.relay(exchange, new AnswerRelay.Answer(head.status(), head.headers(), framing, body, headersAfter),
                body::finished, () -> { });
    }

    private ProxyOutcome tail(HttpExchange exchange, ForwardRequest request, ResponseHead head, Socket upstream,
                              WireInput upstreamIn, Duration headersAfter) {
        String path = request.rawPath();
        byte[] prelude;
        try {
            prelude = HeadWriter.status(101).fields(head.headers()).bytes();
        } catch (IllegalArgumentException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "101 answer: " + e.getMessage());
        }
        RawConnection client = ConnectionControl.of(exchange).upgrade(101);
        long started = System.nanoTime();
        TailRelay.Result result;
        try {
            log.debug("websocket tail opening", "path", path, "org_id", request.tenant());
            result = tails.relay(client, prelude, upstream, upstreamIn, path);
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(101, false, "client went away during the upgrade: " + Log.describe(e));
        }
        log.info("websocket tail closed", "path", path, "org_id", request.tenant(), "closed_by", result.closedBy(),
                "err", result.error().isEmpty() ? null : result.error(),
                "duration_ms", (System.nanoTime() - started) / 1_000_000,
                "bytes_in", result.clientToUpstream(), "bytes_out", result.upstreamToClient());
        return new ProxyOutcome.Relayed(101, headersAfter);
    }

    /** Open tails now (for the {@code open tails} gauge). */
    public int openTails() {
        return tails.open();
    }

    /** Closes every open tail, for shutdown: a tail never finishes on its own. */
    public void closeAll() {
        tails.closeAll();
    }

    /** The last step of a shutdown. */
    public void close() {
        tails.closeAll();
        tails.close();
    }
}

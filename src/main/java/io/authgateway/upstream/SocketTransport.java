package io.authgateway.upstream;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BodyInput;
import io.authgateway.codec.BufferPool;
import io.authgateway.codec.DeadlineSweeper;
import io.authgateway.codec.HeadLimits;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.ResponseHead;
import io.authgateway.codec.WireOutput;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.routing.Upstream;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's own HTTP/1.1 client over plain JDK sockets with a keep-alive pool, selected with
 * {@code -gateway.upstream.client=socket} (the default). Strict where a shared pool could leak one
 * tenant's answer to another: the codec's framing rules, bounded heads, no bytes beyond an
 * answer's end, a connection reused only after its answer was read completely, never after any
 * doubt. A pooled connection that fails before anything of the client's body was read is retried
 * once on a new one. HTTPS upstreams get TLS from the {@link Dialer} and the same rules.
 */
public final class SocketTransport implements UpstreamTransport {

    private final UpstreamSettings settings;
    private final ConnectionPool pool = new ConnectionPool(512, Duration.ofSeconds(30));
    private final Dialer dialer;
    /** Each component's pool key, made once: the addresses are fixed at start-up. */
    private final Map<Upstream, UpstreamAddress> addresses = new EnumMap<>(Upstream.class);
    private final DeadlineSweeper deadlines;
    private final BufferPool sendBuffers = new BufferPool(64 * 1024, 128);
    private final AnswerRelay relay = new AnswerRelay(new BufferPool(64 * 1024, 64));
    public SocketTransport(UpstreamSettings settings, Optional<UpstreamTls> tls) {
        this.settings = settings;
        this.dialer = new Dialer(settings.dialTimeout(), tls);
        settings.addresses().forEach((upstream, base) -> addresses.put(upstream, UpstreamAddress.of(base)));
        this.deadlines = new DeadlineSweeper("upstream-deadlines", DeadlineSweeper.tickFor(settings.shortestTimeout()));
    }

    @Override
    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        UpstreamRequest upstreamRequest;
        try {
            upstreamRequest = UpstreamRequest.of(exchange, request);
        } catch (HttpProtocolException | IllegalArgumentException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_REQUEST, "request not expressible upstream: " + e.getMessage());
        }
        UpstreamAddress address = addresses.get(request.upstream());
        if (address == null || !request.base().equals(settings.addresses().get(request.upstream()))) {
            address = UpstreamAddress.of(request.base());
        }
        long started = System.nanoTime();
        Exchanged exchanged;
        try {
            exchanged = send(exchange, address, upstreamRequest, settings.timeoutFor(request.upstream()));
        } catch (Outcome failure) {
            return failure.outcome;
        }
        return answer(exchange, address, exchanged, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A connection whose request went out and whose answer's head arrived. */
    private record Exchanged(UpstreamConnection connection, ResponseHead head) {
    }

    /** Carries an outcome out of the send attempt; never escapes this class. */
    private static final class Outcome extends Exception {
        final transient ProxyOutcome outcome;

        Outcome(ProxyOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** Sends the request and reads the answer's head, all within the upstream timeout. */
    private Exchanged send(HttpExchange exchange, UpstreamAddress address, UpstreamRequest request, Duration timeout)
            throws Outcome {
        for (int attempt = 0; ; attempt++) {
            UpstreamConnection connection = pool.borrow(address);
            boolean reused = connection != null;
            if (!reused) {
                connection = connect(address);
            }
            try {
                connection.deadline().arm(timeout);
                request.send(exchange.getRequestBody(), connection.out());
                return new Exchanged(connection, readHead(connection));
            } catch (WireOutput.SourceException e) {
                connection.close();
                throw new Outcome(e.getCause() instanceof HttpProtocolException malformed
                        ? ProxyOutcome.Malformed.of(malformed)
                        : new ProxyOutcome.Aborted(0, false, "client went away: " + e.getMessage()));
            } catch (HttpProtocolException e) {
                connection.close();
                throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "upstream answer: " + e.getMessage()));
            } catch (IOException e) {
                connection.close();
                if (connection.deadline().expired()) {
                    throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT,
                            "no response headers within " + timeout));
                }
                if (reused && attempt == 0 && !request.readClient()) {
                    continue;
                }
                throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "upstream failed: " + Log.describe(e)));
            }
        }
    }

    private UpstreamConnection connect(UpstreamAddress address) throws Outcome {
        try {
            return new UpstreamConnection(dialer.dial(address), deadlines, sendBuffers);
        } catch (Dialer.DialTimeoutException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY,
                    "dial timeout after " + settings.dialTimeout()));
        } catch (ConnectException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + Log.describe(e)));
        } catch (IOException | RuntimeException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + Log.describe(e)));
        }
    }

    /** The answer's head, interim 1xx answers skipped; a 101 nobody asked for breaks HTTP. */
    private static ResponseHead readHead(UpstreamConnection connection) throws IOException {
        while (true) {
            ResponseHead head = ResponseHead.read(connection.in(), HeadLimits.DEFAULT);
            if (head.status() == 101) {
                throw HttpProtocolException.invalid("unexpected 101 Switching Protocols");
            }
            if (head.status() >= 200) {
                connection.deadline().disarm();
                return head;
            }
        }
    }

    private ProxyOutcome answer(HttpExchange exchange, UpstreamAddress address, Exchanged exchanged, Duration headersAfter) {
        UpstreamConnection connection = exchanged.connection();
        ResponseHead head = exchanged.head();
        BodyFraming framing;
        try {
            framing = BodyFraming.ofResponse(exchange.getRequestMethod(), head.status(), head.headers());
            checkNothingBeyond(connection, framing);
        } catch (HttpProtocolException e) {
            connection.close();
            return new ProxyOutcome.Failed(ProxyFailure.BAD_ANSWER, "upstream answer: " + e.getMessage());
        }
        BodyInput body = new BodyInput(connection.in(), framing);
        AtomicBoolean handedOn = new AtomicBoolean();
        ProxyOutcome outcome = relay.relay(exchange, new AnswerRelay.Answer(head.status(), head.headers(), framing, body,
                headersAfter), body::finished, () -> {
                    handedOn.set(true);
                    finish(connection, address, head, framing);
                });
        if (!handedOn.get()) {
            connection.close(); // the body was not read to its end: the connection holds an unknown rest
        }
        return outcome;
    }

    /**
     * Bytes already buffered past the end of the answer (a body on a 204, a body longer than its
     * length, a second answer nobody asked for) make the answer ambiguous: a 502, before anything
     * reaches the client. Bytes that arrive later are caught before the connection is reused.
     */
    private static void checkNothingBeyond(UpstreamConnection connection, BodyFraming framing) throws HttpProtocolException {
        int buffered = connection.in().available();
        boolean beyond = switch (framing) {
            case BodyFraming.None none -> buffered > 0;
            case BodyFraming.Fixed fixed -> buffered > fixed.length();
            default -> false;
        };
        if (beyond) {
            throw HttpProtocolException.invalid("bytes beyond the end of the answer");
        }
    }

    /**
     * The answer was read to its end: the connection goes back to the pool unless the upstream
     * said it would close it, or anything follows the answer.
     */
    private void finish(UpstreamConnection connection, UpstreamAddress address, ResponseHead head, BodyFraming framing) {
        if (head.keepsConnection() && !(framing instanceof BodyFraming.UntilClose) && connection.in().available() == 0) {
            pool.release(address, connection);
        } else {
            connection.close();
        }
    }

    @Override
    public void close() {
        pool.close();
        deadlines.close();
    }
}

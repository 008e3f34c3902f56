package io.authgateway.proxy;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.config.UpstreamSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A lean HTTP/1.1 client over plain JDK sockets with a keep-alive pool, selected with
 * {@code -gateway.upstream.client=socket}. Strict where a shared pool could leak one tenant's
 * answer to another: exact Content-Length / chunked framing, bounded heads, a connection reused
 * only after its response was read completely, never after any framing doubt. A pooled connection
 * that fails before anything of the client's body was consumed is retried once on a new one.
 * HTTPS upstreams go through the JDK client.
 */
public final class SocketTransport implements UpstreamTransport {

    /** Answers up to this size get a buffer of their own; larger ones stream through a pooled one. */
    private static final int SMALL_BODY = 16 * 1024;

    private final UpstreamSettings settings;
    private final ConnectionPool pool;
    private final DeadlineSweeper deadlines;
    private final BufferPool buffers = new BufferPool(64 * 1024, 32);
    private final Supplier<UpstreamTransport> tlsFactory;
    private volatile UpstreamTransport tlsTransport;

    /**
     * @param tlsFactory makes the transport for https upstreams, on first use only (the JDK client
     *                   and its TLS stack cost start-up time and memory a plain-HTTP setup never needs)
     */
    public SocketTransport(UpstreamSettings settings, Supplier<UpstreamTransport> tlsFactory) {
        this.settings = settings;
        this.tlsFactory = tlsFactory;
        this.pool = new ConnectionPool(512, Duration.ofSeconds(30));
        this.deadlines = new DeadlineSweeper("upstream-deadlines", DeadlineSweeper.tickFor(settings.shortestTimeout()));
    }

    @Override
    public ProxyOutcome forward(HttpExchange exchange, ForwardRequest request) {
        URI base = request.base();
        if (!"http".equalsIgnoreCase(base.getScheme())) {
            return tlsTransport().forward(exchange, request);
        }
        RequestBody body = RequestBody.of(exchange);
        byte[] head;
        try {
            head = RequestHeadWriter.write(exchange, request, body);
        } catch (IllegalArgumentException e) {
            return new ProxyOutcome.Failed(ProxyFailure.BAD_REQUEST, e.getMessage());
        }
        UpstreamAddress address = UpstreamAddress.of(base);
        long started = System.nanoTime();
        Exchanged exchanged;
        try {
            exchanged = send(exchange, address, head, body, started, settings.timeoutFor(request.upstream()));
        } catch (Outcome failure) {
            return failure.outcome;
        }
        return relay(exchange, address, exchanged, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A connection whose request went out and whose response head arrived. */
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

    private Exchanged send(HttpExchange exchange, UpstreamAddress address, byte[] head, RequestBody body,
                           long started, Duration timeout) throws Outcome {
        for (int attempt = 0; ; attempt++) {
            UpstreamConnection connection = pool.borrow(address);
            boolean reused = connection != null;
            if (!reused) {
                connection = connect(address);
            }
            try {
                connection.markUsed();
                OutputStream out = connection.out();
                body.send(head, exchange.getRequestBody(), out, buffers);
                out.flush();
                return new Exchanged(connection, readHead(connection, started, timeout));
            } catch (RequestBody.ClientGoneException e) {
                connection.close();
                throw new Outcome(new ProxyOutcome.Aborted(0, false, "client went away: " + e.getMessage()));
            } catch (IOException e) {
                connection.close();
                if (e instanceof SocketTimeoutException || connection.deadline().expired()) {
                    throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.GATEWAY_TIMEOUT,
                            "no response headers within " + timeout));
                }
                if (reused && attempt == 0 && body.consumed() == 0) {
                    continue;
                }
                throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "upstream failed: " + describe(e)));
            }
        }
    }

    private UpstreamConnection connect(UpstreamAddress address) throws Outcome {
        try {
            return pool.open(address, settings.dialTimeout(), deadlines);
        } catch (UpstreamConnection.UpstreamConnectTimeoutException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "dial timeout after " + settings.dialTimeout()));
        } catch (ConnectException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + describe(e)));
        } catch (IOException | RuntimeException e) {
            throw new Outcome(new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "connect failed: " + describe(e)));
        }
    }

    /** Reads the response head within what is left of the upstream timeout, skipping 1xx interim answers. */
    private ResponseHead readHead(UpstreamConnection connection, long started, Duration timeout) throws IOException {
        long left = timeout.toNanos() - (System.nanoTime() - started);
        if (left <= 0) {
            throw new SocketTimeoutException("upstream timeout");
        }
        connection.deadline().armNanos(left);
        while (true) {
            ResponseHead head = ResponseHead.read(connection.in());
            if (head.status() == 101) {
                throw new HttpFramingException("unexpected 101 Switching Protocols");
            }
            if (head.status() >= 200) {
                connection.deadline().disarm();
                return head;
            }
        }
    }

    private ProxyOutcome relay(HttpExchange exchange, UpstreamAddress address, Exchanged exchanged, Duration headersAfter) {
        UpstreamConnection connection = exchanged.connection();
        ResponseHead head = exchanged.head();
        BodyFraming framing;
        try {
            framing = BodyFraming.of(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT), head);
        } catch (HttpFramingException e) {
            connection.close();
            return new ProxyOutcome.Failed(ProxyFailure.BAD_GATEWAY, "upstream framing: " + e.getMessage());
        }
        ProxyHeaders.forResponse(head.asMap(), exchange.getResponseHeaders());
        boolean bodiless = framing instanceof BodyFraming.None;
        if (bodiless) {
            // The client has the whole answer once the head is out: give the connection back first,
            // so that a client's next request finds it in the pool.
            finishUpstream(connection, address, head, framing);
        }
        OutputStream out;
        try {
            exchange.sendResponseHeaders(head.status(), framing.exchangeLength());
            out = exchange.getResponseBody();
        } catch (IOException e) {
            if (!bodiless) {
                connection.close();
            }
            return new ProxyOutcome.Aborted(head.status(), false, "client went away before the answer: " + describe(e));
        }
        if (bodiless) {
            return closeAnswer(out, head, headersAfter);
        }
        return copyBody(connection, address, head, framing, out, headersAfter);
    }

    private ProxyOutcome copyBody(UpstreamConnection connection, UpstreamAddress address, ResponseHead head,
                                  BodyFraming framing, OutputStream out, Duration headersAfter) {
        boolean small = framing instanceof BodyFraming.Fixed fixed && fixed.length() < SMALL_BODY;
        byte[] buffer = small ? new byte[(int) ((BodyFraming.Fixed) framing).length()] : buffers.take();
        try {
            return copyBody(connection, address, head, framing, out, headersAfter, buffer);
        } finally {
            if (!small) {
                buffers.give(buffer);
            }
        }
    }

    private ProxyOutcome copyBody(UpstreamConnection connection, UpstreamAddress address, ResponseHead head,
                                  BodyFraming framing, OutputStream out, Duration headersAfter, byte[] buffer) {
        InputStream body = framing.open(connection.in());
        boolean released = false;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                connection.close();
                return new ProxyOutcome.Aborted(head.status(), true, "upstream broke off its answer: " + describe(e));
            }
            if (n < 0) {
                break;
            }
            // The last bytes of a fixed-length body are in hand: give the connection back before the
            // client can see the end of its answer, so that its next request finds it in the pool.
            // From here on the connection belongs to the pool and is not touched again.
            released = body instanceof FixedLengthBodyInput fixedBody && fixedBody.finished();
            if (released) {
                finishUpstream(connection, address, head, framing);
            }
            try {
                out.write(buffer, 0, n);
                // Flush whenever nothing more is buffered, so streamed answers reach the client as they
                // come; not after the last bytes of a fixed-length body, where close() flushes anyway.
                if (!released && connection.in().available() == 0) {
                    out.flush();
                }
            } catch (IOException e) {
                if (!released) {
                    connection.close();
                }
                return new ProxyOutcome.Aborted(head.status(), false, "client went away during the answer: " + describe(e));
            }
            if (released) {
                break;
            }
        }
        if (!released) {
            finishUpstream(connection, address, head, framing);
        }
        return closeAnswer(out, head, headersAfter);
    }

    /** Pools a connection whose response was read completely, unless the upstream said it would not be reused. */
    private void finishUpstream(UpstreamConnection connection, UpstreamAddress address, ResponseHead head,
                                BodyFraming framing) {
        boolean reusable = !head.http10() && !head.hasToken("connection", "close")
                && !(framing instanceof BodyFraming.UntilClose);
        if (reusable) {
            pool.release(address, connection);
        } else {
            connection.close();
        }
    }

    private static ProxyOutcome closeAnswer(OutputStream out, ResponseHead head, Duration headersAfter) {
        try {
            out.close();
        } catch (IOException e) {
            return new ProxyOutcome.Aborted(head.status(), false, "client went away at the end of the answer: " + describe(e));
        }
        return new ProxyOutcome.Relayed(head.status(), headersAfter);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    int idleConnections() {
        return pool.idleCount();
    }

    private UpstreamTransport tlsTransport() {
        UpstreamTransport transport = tlsTransport;
        if (transport == null) {
            synchronized (this) {
                if (tlsTransport == null) {
                    tlsTransport = tlsFactory.get();
                }
                transport = tlsTransport;
            }
        }
        return transport;
    }

    @Override
    public void close() {
        pool.close();
        deadlines.close();
        synchronized (this) {
            if (tlsTransport != null) {
                tlsTransport.close();
            }
        }
    }
}

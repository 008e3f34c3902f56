package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What the gateway needs from a connection and the {@code HttpExchange} API cannot express: taking
 * the connection out of HTTP for a WebSocket tail, aborting an answer that broke off, and the body
 * byte counts for the message-size metrics. Every exchange of {@link SocketHttpServer} carries one,
 * as the attribute {@link #ATTRIBUTE}; {@link #of} finds it.
 */
public interface ConnectionControl {

    String ATTRIBUTE = ConnectionControl.class.getName();

    /** The exchange's control; the exchange must come from {@link SocketHttpServer}. */
    static ConnectionControl of(HttpExchange exchange) {
        if (exchange.getAttribute(ATTRIBUTE) instanceof ConnectionControl control) {
            return control;
        }
        throw new IllegalStateException("the exchange does not come from the gateway's own server");
    }

    /**
     * Takes the connection out of HTTP: the exchange counts as answered with {@code status} (the
     * caller writes the answer itself, on the raw connection) and the server closes the
     * connection once the handler returns. The read deadline is off from here: an idle tail stays.
     */
    RawConnection upgrade(int status);

    /**
     * Ends the answer where it stands: a chunked body gets no last chunk, the connection closes.
     * For an answer that broke off, so the client never takes it for a whole one. Any thread.
     */
    void abort();

    /**
     * The request-target exactly as sent. {@code getRequestURI()} cannot always hold it: a path
     * starting with {@code //} becomes an authority in {@code java.net.URI}.
     */
    String requestTarget();

    /**
     * The client certificate of the connection, present only when the listener's client-auth mode
     * verified it against the client CA bundle: the only kind that may stand for a tenant.
     */
    Optional<X509Certificate> verifiedClientCertificate();

    /**
     * The request body's length as the server framed it: its {@code Content-Length}, 0 without a
     * body, -1 for a chunked body (known only once read).
     */
    long declaredRequestLength();

    /** Request body bytes read so far (decoded). */
    long requestBodyBytes();

    /** Response body bytes written so far (without chunk framing). */
    long responseBodyBytes();
}

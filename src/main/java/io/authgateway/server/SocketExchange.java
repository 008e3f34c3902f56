package io.authgateway.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.authgateway.codec.BodyFraming;
import io.authgateway.codec.BodyInput;
import io.authgateway.codec.BodyOutput;
import io.authgateway.codec.HeadWriter;
import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.HttpSyntax;
import io.authgateway.codec.RequestHead;
import io.authgateway.codec.WireHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One request/response on a {@link ClientConnection}, with the JDK server's contract for
 * {@link #sendResponseHeaders}: length {@code > 0} fixed, {@code 0} chunked (until close for
 * HTTP/1.0), {@code -1} no body; HEAD, 1xx, 204 and 304 never carry one. The request body is the
 * codec's {@link BodyInput} and the answer's its {@link BodyOutput}, straight on the connection's
 * buffered streams: two layers between the socket and the handler each way. {@link #close} ends
 * the exchange: a small unread rest of the request body is drained, a larger one ends the connection.
 */
final class SocketExchange extends HttpExchange implements ConnectionControl {

    /** Unread request body the server reads and discards to keep a connection; more closes it. */
    static final long DRAIN_LIMIT = 64 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ClientConnection connection;
    private final RequestHead head;
    private final String target;
    private URI uri;
    private final HttpContext context;
    private final Headers responseHeaders = new WireHeaders();
    private final BodyInput requestBody;
    private final BodyOutput responseBody;
    private final boolean expectsContinue;
    private InputStream requestStream;
    private OutputStream responseStream;
    private Map<String, Object> attributes;
    private HttpPrincipal principal;
    private int status = -1;
    private boolean closeAfter;
    private boolean closed;
    private boolean taken;
    private final BodyFraming requestFraming;
    private volatile boolean aborted;

    SocketExchange(ClientConnection connection, RequestHead head, RequestRules rules, HttpContext context) {
        this.connection = connection;
        this.head = head;
        this.target = rules.target().raw();
        this.context = context;
        this.expectsContinue = rules.expectsContinue();
        this.closeAfter = rules.closeAfter();
        this.requestFraming = rules.framing();
        this.requestBody = connection.body(rules.framing(), new BodyInput.Listener() {
            @Override
            public void beforeFirstRead() throws IOException {
                sendContinue();
            }
        });
        this.responseBody = new BodyOutput(connection.output(), () -> { });
        this.requestStream = requestBody;
        this.responseStream = responseBody;
        if (head.http10()) {
            responseHeaders.set("Connection", closeAfter ? "close" : "keep-alive");
            if (!closeAfter) {
                responseHeaders.set("Keep-Alive", "timeout=" + connection.idleSeconds());
            }
        }
    }

    /** {@code Expect: 100-continue}: the 100 goes out when the body is first read, unless the answer is out already. */
    private void sendContinue() throws IOException {
        if (expectsContinue && status == -1) {
            connection.output().write(CONTINUE);
            connection.output().flush();
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    /** Made on first use: the gateway itself routes {@link #requestTarget()}, and URI parsing is not free. */
    @Override
    public URI getRequestURI() {
        if (uri == null) {
            uri = URI.create(target); // RequestTarget admits only what java.net.URI accepts (RequestTargetTest)
        }
        return uri;
    }

    @Override
    public String requestTarget() {
        return target;
    }

    @Override
    public String getRequestMethod() {
        return head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return context;
    }

    @Override
    public InputStream getRequestBody() {
        return requestStream;
    }

    @Override
    public OutputStream getResponseBody() {
        return responseStream;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (status != -1) {
            throw new IOException("response headers already sent");
        }
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
        boolean mayHaveBody = BodyFraming.mayHaveBody(head.method(), code);
        if (code < 200 || code == 204) {
            responseHeaders.remove("Content-Length");
        } else if (!isHead() && code != 304 && length != 0) {
            responseHeaders.set("Content-Length", Long.toString(Math.max(0, length)));
        }
        BodyFraming framing = mayHaveBody ? BodyFraming.ofExchangeLength(length, head.http10()) : BodyFraming.NONE;
        if (framing instanceof BodyFraming.Chunked) {
            responseHeaders.set("Transfer-Encoding", "chunked");
        }
        // A client still waiting for 100 Continue may or may not send its body, and one whose body broke
        // the framing has unknown bytes in flight: never keep such a connection. Nor one whose unread
        // body is longer than close() will drain: say so now (as Go's server does), or the client may
        // send its next request on a connection about to be closed.
        if (framing instanceof BodyFraming.UntilClose || HttpSyntax.hasToken(responseHeaders.get("Connection"), "close")
                || connection.stopping() || (expectsContinue && !requestBody.started()) || requestBody.failed()
                || requestBody.unreadBeyond(DRAIN_LIMIT)) {
            closeAfter = true;
        }
        if (closeAfter) {
            responseHeaders.set("Connection", "close");
        }
        responseHeaders.set("Date", connection.date());
        HeadWriter.status(code).fields(responseHeaders).writeTo(connection.output());
        status = code;
        responseBody.start(framing);
        if (framing instanceof BodyFraming.None) {
            responseBody.close();
            close();
        }
    }

    private boolean isHead() {
        return head.method().equals("HEAD");
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return connection.localAddress();
    }

    @Override
    public Optional<X509Certificate> verifiedClientCertificate() {
        return connection.verifiedClientCertificate();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public String getProtocol() {
        return head.http10() ? "HTTP/1.0" : "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        if (ATTRIBUTE.equals(name)) {
            return this;
        }
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        if (in != null) {
            requestStream = in;
        }
        if (out != null) {
            responseStream = out;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void setPrincipal(HttpPrincipal principal) {
        this.principal = principal;
    }

    /**
     * Ends the exchange; never throws (a failure only means the connection is not reused). A request
     * whose body turned out malformed before any answer still gets its status (400) here.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (taken || aborted) {
            return;
        }
        if (status == -1 && requestBody.failure() instanceof HttpProtocolException bad) {
            refuseBody(bad);
            return;
        }
        try {
            responseBody.close();
        } catch (IOException e) {
            closeAfter = true;
        }
        if (!requestBody.finished() && (expectsContinue && !requestBody.started() || !requestBody.drain(DRAIN_LIMIT))) {
            closeAfter = true;
        }
    }

    private void refuseBody(HttpProtocolException bad) {
        closeAfter = true;
        status = bad.status();
        try {
            connection.writeRefusal(bad.status());
        } catch (IOException e) {
            // the client is gone; the connection closes either way
        }
    }

    /** Whether the connection can carry the next request once this exchange is closed. */
    boolean keepsConnection() {
        return closed && responseBody.complete() && !closeAfter && !taken && !aborted && requestBody.finished();
    }

    /** Whether the client may still be sending this request's body (the exchange ended without it). */
    boolean leftRequestBytes() {
        return !taken && !requestBody.finished();
    }

    @Override
    public RawConnection upgrade(int code) {
        status = code;
        taken = true;
        return connection.raw();
    }

    @Override
    public void abort() {
        aborted = true;
        responseBody.abandon();
        connection.close();
    }

    @Override
    public long declaredRequestLength() {
        return switch (requestFraming) {
            case BodyFraming.Fixed fixed -> fixed.length();
            case BodyFraming.None none -> 0;
            case BodyFraming.Chunked chunked -> -1;
            case BodyFraming.UntilClose untilClose -> -1;
        };
    }

    @Override
    public long requestBodyBytes() {
        return requestBody.count();
    }

    @Override
    public long responseBodyBytes() {
        return responseBody.count();
    }
}

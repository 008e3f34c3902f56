package io.authgateway.socketserver;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.authgateway.connection.RawConnection;
import io.authgateway.proxy.HttpSyntax;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * One request/response on a {@link ClientConnection}, with the JDK server's contract for
 * {@link #sendResponseHeaders}: length {@code > 0} fixed, {@code 0} chunked (until close for
 * HTTP/1.0), {@code -1} no body; HEAD, 1xx, 204 and 304 never carry one. {@link #close} ends the
 * exchange: the rest of a small unread request body is drained, a larger one ends the connection.
 */
final class SocketExchange extends HttpExchange {

    /** Unread request body the server reads and discards to keep a connection; more closes it. */
    private static final long DRAIN_LIMIT = 64 * 1024;

    private final ClientConnection connection;
    private final RequestHead head;
    private final URI uri;
    private final HttpContext context;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new WireHeaders();
    private final RequestBodyInput requestBody;
    private final OutputStream placeholder = new Placeholder();
    private InputStream requestStream;
    private OutputStream responseStream;
    private ResponseBodyOutput body;
    private Map<String, Object> attributes;
    private int status = -1;
    private boolean closeAfter;
    private boolean complete;
    private boolean closed;
    private boolean taken;

    SocketExchange(ClientConnection connection, RequestHead head, URI uri, HttpContext context,
                   RequestBodyInput requestBody, boolean closeAfter) {
        this.connection = connection;
        this.head = head;
        this.uri = uri;
        this.context = context;
        this.requestHeaders = head.headers();
        this.requestBody = requestBody;
        this.requestStream = requestBody;
        this.responseStream = placeholder;
        this.closeAfter = closeAfter;
        if (head.http10()) {
            String keepAlive = requestHeaders.getFirst("Connection");
            if (keepAlive != null && keepAlive.equalsIgnoreCase("keep-alive")) {
                responseHeaders.set("Connection", "keep-alive");
                responseHeaders.set("Keep-Alive", "timeout=" + connection.idleSeconds());
            } else {
                this.closeAfter = true;
                responseHeaders.set("Connection", "close");
            }
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
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
        status = code;
        boolean mayHaveBody = !(code < 200 || code == 204 || code == 304 || isHead());
        if (code < 200 || code == 204) {
            responseHeaders.remove("Content-Length");
        } else if (!isHead() && code != 304 && length != 0) {
            responseHeaders.set("Content-Length", Long.toString(Math.max(0, length)));
        }
        ResponseBodyOutput.Framing framing = ResponseBodyOutput.Framing.FIXED;
        long fixed = 0;
        if (mayHaveBody && length == 0) {
            if (head.http10()) {
                framing = ResponseBodyOutput.Framing.UNTIL_CLOSE;
                closeAfter = true;
            } else {
                responseHeaders.set("Transfer-Encoding", "chunked");
                framing = ResponseBodyOutput.Framing.CHUNKED;
            }
        } else if (mayHaveBody && length > 0) {
            fixed = length;
        }
        // A client still waiting for 100 Continue may or may not send its body: never keep that connection.
        if (HttpSyntax.hasToken(responseHeaders.get("Connection"), "close") || connection.stopping()
                || requestBody.continueOwed()) {
            closeAfter = true;
        }
        if (closeAfter) {
            responseHeaders.set("Connection", "close");
        }
        responseHeaders.set("Date", connection.date());
        OutputStream out = connection.output();
        StatusLine.write(out, code, responseHeaders);
        body = new ResponseBodyOutput(out, framing, fixed, () -> complete = true);
        if (fixed == 0 && framing == ResponseBodyOutput.Framing.FIXED) {
            body.close();
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
    public int getResponseCode() {
        return status;
    }

    @Override
    public String getProtocol() {
        return head.http10() ? "HTTP/1.0" : "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
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
        return null;
    }

    /** Ends the exchange; never throws (a failure only means the connection is not reused). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (taken) {
            return;
        }
        try {
            if (body != null) {
                body.close();
            }
        } catch (IOException e) {
            closeAfter = true;
        }
        if (!requestBody.finished() && !requestBody.drain(DRAIN_LIMIT)) {
            closeAfter = true;
        }
    }

    /** Whether the connection can carry the next request once this exchange is closed. */
    boolean keepsConnection() {
        return closed && complete && !closeAfter && !taken && requestBody.finished();
    }

    /** Whether the client may still be sending this request's body (the exchange ended without it). */
    boolean leftRequestBytes() {
        return !taken && !requestBody.finished();
    }

    /** Hands the raw connection to the caller (WebSocket upgrade); the server closes it after the handler. */
    RawConnection take() {
        taken = true;
        return connection.raw();
    }

    /** Closes the client's socket now, from any thread: a blocked write fails and the exchange ends. */
    void abort() {
        closeAfter = true;
        connection.close();
    }

    /** Records the status of a taken exchange (the caller already wrote the answer itself). */
    void finishTaken(int code) {
        status = code;
        taken = true;
        closed = true;
    }

    /** What a handler writes before {@code sendResponseHeaders}'s body stream exists goes nowhere: it fails. */
    private final class Placeholder extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target().write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (body != null) {
                body.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (body != null) {
                body.close();
            } else if (!taken) {
                closeAfter = true;
            }
        }

        private OutputStream target() throws IOException {
            if (body == null) {
                throw new IOException("response headers not sent yet");
            }
            return body;
        }
    }
}

package io.authgateway.codec;

import java.io.IOException;

/**
 * The peer's bytes are not a valid HTTP/1.1 message, or one whose meaning is not certain. The
 * server answers a request that fails this way with {@link #status()} and closes the connection;
 * the upstream client answers 502 and never reuses the connection.
 */
public final class HttpProtocolException extends IOException {

    private final int status;

    /** @param reason a short fixed text for the log; never shown to a client */
    public HttpProtocolException(int status, String reason) {
        super(reason, null);
        this.status = status;
    }

    /** A syntax or framing error: 400 for a request (other rules name 414, 431, 501 or 505). */
    public static HttpProtocolException invalid(String reason) {
        return new HttpProtocolException(400, reason);
    }

    /** The status a server answers a request with that breaks this rule. */
    public int status() {
        return status;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a value, not a bug: peers send bad bytes all the time
    }
}

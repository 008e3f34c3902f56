package io.authgateway.upstream;

/** Failures answered by the gateway instead of an upstream, with their status and fixed text. */
public enum ProxyFailure {
    /** Refused, unreachable, reset, or no connection within the dial timeout. */
    BAD_GATEWAY(502, "Bad Gateway", "connect"),
    /** The answer breaks HTTP/1.1 or is ambiguous (framing, head syntax); the connection is closed, never reused. */
    BAD_ANSWER(502, "Bad Gateway", "protocol"),
    /** Connected, but no response headers within {@code -gateway.upstream.timeout}. */
    GATEWAY_TIMEOUT(504, "Gateway Timeout", "timeout"),
    /** The request cannot be expressed upstream (e.g. a method the client library refuses). */
    BAD_REQUEST(400, "Bad Request", "request");

    private final int status;
    private final String body;
    private final String kind;

    ProxyFailure(int status, String body, String kind) {
        this.status = status;
        this.body = body;
        this.kind = kind;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** Short error kind for logs and metrics. */
    public String kind() {
        return kind;
    }
}

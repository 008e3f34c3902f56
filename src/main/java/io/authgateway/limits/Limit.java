package io.authgateway.limits;

/** Which limit refused a request: the {@code limit} label of the refusal metric and the client's text. */
public enum Limit {
    REQUESTS("requests", "Too Many Requests: request rate limit reached"),
    BYTES("bytes", "Too Many Requests: ingestion byte rate limit reached"),
    INFLIGHT("inflight", "Too Many Requests: too many requests in flight");

    private final String label;
    private final String text;

    Limit(String label, String text) {
        this.label = label;
        this.text = text;
    }

    public String label() {
        return label;
    }

    /** The fixed text the client gets with its 429. */
    public String text() {
        return text;
    }
}

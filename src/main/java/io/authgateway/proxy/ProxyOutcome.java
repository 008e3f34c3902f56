package io.authgateway.proxy;

/** What happened to one proxied request. */
public sealed interface ProxyOutcome {

    /** The upstream answered and its answer was relayed in full. */
    record Relayed(int status, long requestBytes, long responseBytes) implements ProxyOutcome {
    }

    /** Nothing was sent to the client yet; the server answers with the failure's status. */
    record Failed(ProxyFailure failure, String detail) implements ProxyOutcome {
    }

    /**
     * The exchange ended early after the response had begun, or the client went away; nothing more
     * can be sent, the connection is closed.
     */
    record Aborted(int status, String detail) implements ProxyOutcome {
    }
}

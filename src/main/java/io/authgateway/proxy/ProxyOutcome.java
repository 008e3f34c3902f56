package io.authgateway.proxy;

import java.time.Duration;

/** What happened to one proxied request. */
public sealed interface ProxyOutcome {

    /** The upstream answered and its answer was relayed in full. */
    record Relayed(int status, Duration headersAfter) implements ProxyOutcome {
    }

    /** Nothing was sent to the client yet; the server answers with the failure's status. */
    record Failed(ProxyFailure failure, String detail) implements ProxyOutcome {
    }

    /**
     * The exchange ended early; nothing more can be sent and the connection is closed.
     *
     * @param status       the upstream status already relayed, or 0 if none
     * @param upstreamFault true when the upstream broke off (a reset), false when the client went away
     */
    record Aborted(int status, boolean upstreamFault, String detail) implements ProxyOutcome {
    }
}

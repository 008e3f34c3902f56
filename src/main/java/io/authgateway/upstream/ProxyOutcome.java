package io.authgateway.upstream;

import io.authgateway.codec.HttpProtocolException;
import io.authgateway.codec.StatusCodes;

import java.time.Duration;

/** What happened to one proxied request; failures are values, not exceptions. */
public sealed interface ProxyOutcome {

    /** The upstream answered and its answer was relayed in full. */
    record Relayed(int status, Duration headersAfter) implements ProxyOutcome {
    }

    /** Nothing was sent to the client yet; the gateway answers with the failure's status. */
    record Failed(ProxyFailure failure, String detail) implements ProxyOutcome {
    }

    /**
     * The client's request body broke the HTTP framing after the head went upstream: the upstream
     * request was aborted (its connection closed mid-body), the client gets {@code status} if
     * nothing was answered yet, and its connection closes.
     */
    record Malformed(int status, String detail) implements ProxyOutcome {
        public static Malformed of(HttpProtocolException e) {
            return new Malformed(e.status(), e.getMessage());
        }

        /** The fixed text the client gets. */
        public String text() {
            return StatusCodes.reason(status);
        }
    }

    /**
     * The exchange ended early; nothing more can be sent and the connection is closed.
     *
     * @param status        the upstream status already relayed, or 0 if none
     * @param upstreamFault true when the upstream broke off (a reset), false when the client went away
     */
    record Aborted(int status, boolean upstreamFault, String detail) implements ProxyOutcome {
    }
}

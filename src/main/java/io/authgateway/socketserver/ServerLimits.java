package io.authgateway.socketserver;

import java.time.Duration;

/**
 * The limits {@link SocketHttpServer} enforces, all explicit.
 *
 * @param readTimeout     time a client has to send a whole request, head and body (Go's {@code ReadTimeout})
 * @param idleTimeout     time a keep-alive connection may wait for its next request
 * @param connectionLimit open connections at most; at the limit the server stops accepting until one
 *                        closes, as Go's {@code netutil.LimitListener} does (0: no limit)
 * @param maxHeadBytes    request line and headers together; a larger head is answered 431
 * @param maxHeaders      header lines per request; more are answered 431
 */
public record ServerLimits(Duration readTimeout, Duration idleTimeout, int connectionLimit, int maxHeadBytes,
                           int maxHeaders) {

    public ServerLimits {
        if (readTimeout.isNegative() || idleTimeout.isNegative() || connectionLimit < 0 || maxHeadBytes < 64
                || maxHeaders < 1) {
            throw new IllegalArgumentException("invalid server limits: " + readTimeout + ", " + idleTimeout + ", "
                    + connectionLimit + ", " + maxHeadBytes + ", " + maxHeaders);
        }
    }
}

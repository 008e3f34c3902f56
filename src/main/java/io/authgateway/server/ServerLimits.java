package io.authgateway.server;

import io.authgateway.codec.HeadLimits;

import java.time.Duration;

/**
 * The limits {@link SocketHttpServer} enforces, all explicit.
 *
 * @param readTimeout     time a client has to send a whole request, head and body (Go's {@code ReadTimeout})
 * @param idleTimeout     time a keep-alive connection may wait for its next request
 * @param writeTimeout    time one write to a client may stall; an answer that keeps flowing is never cut
 * @param connectionLimit open connections at most; at the limit the server stops accepting until one
 *                        closes, as Go's {@code netutil.LimitListener} does (0: no limit)
 * @param head            request-target, head and header-count limits (414, 431)
 */
public record ServerLimits(Duration readTimeout, Duration idleTimeout, Duration writeTimeout, int connectionLimit,
                           HeadLimits head) {

    public ServerLimits {
        if (!readTimeout.isPositive() || !idleTimeout.isPositive() || !writeTimeout.isPositive() || connectionLimit < 0) {
            throw new IllegalArgumentException("invalid server limits: " + readTimeout + ", " + idleTimeout + ", "
                    + writeTimeout + ", " + connectionLimit);
        }
    }

    /** The shortest timeout: deadlines are checked a tenth of it apart. */
    Duration shortestTimeout() {
        Duration shortest = readTimeout.compareTo(idleTimeout) < 0 ? readTimeout : idleTimeout;
        return shortest.compareTo(writeTimeout) < 0 ? shortest : writeTimeout;
    }
}

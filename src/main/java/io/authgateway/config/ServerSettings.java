package io.authgateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP listener: where it listens and the limits it enforces.
 *
 * @param listenAddress           host or IP to bind, empty for all interfaces ({@code -server.http-listen-address})
 * @param listenPort              TCP port, 0 picks a free one ({@code -server.http-listen-port}, default 80)
 * @param gracefulShutdownTimeout time in-flight requests get after SIGTERM (default 30s)
 * @param readTimeout             time to read a whole request (default 30s)
 * @param writeTimeout            time a single write to the client may stall (default 30s)
 * @param idleTimeout             keep-alive idle time (default 120s)
 * @param connectionLimit         maximum open connections, 0 for none
 * @param pathPrefix              prefix for every route, empty or starting with {@code /} and not ending with one
 * @param registerInstrumentation whether {@code /metrics} is served
 * @param tls                     HTTPS on the listener, when a certificate is configured
 */
public record ServerSettings(String listenAddress, int listenPort, Duration gracefulShutdownTimeout,
                             Duration readTimeout, Duration writeTimeout, Duration idleTimeout,
                             int connectionLimit, String pathPrefix, boolean registerInstrumentation,
                             Optional<ListenerTlsSettings> tls) {
}

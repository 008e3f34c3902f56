package io.authgateway.config;

import io.authgateway.routing.Upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Mimir/Loki components live and how long the gateway waits for them.
 *
 * @param addresses    base URL per configured component; components left unset are absent
 * @param timeout      {@code -gateway.upstream.timeout}: the default for both kinds below (default 2m)
 * @param dialTimeout  time to connect to an upstream, else 502 (default 5s)
 * @param pushTimeout  time until a distributor's response headers arrive, else 504
 *                     ({@code -gateway.upstream.push-timeout}, default {@code timeout})
 * @param queryTimeout the same for every other component: query-frontend, querier, ruler,
 *                     Alertmanager ({@code -gateway.upstream.query-timeout}, default {@code timeout})
 * @param client       which HTTP client carries upstream traffic
 * @param tls          TLS to https upstreams, on either client
 */
public record UpstreamSettings(Map<Upstream, URI> addresses, Duration timeout, Duration dialTimeout,
                               Duration pushTimeout, Duration queryTimeout, Client client,
                               UpstreamTlsSettings tls) {

    /** {@code -gateway.upstream.client}: the JDK HttpClient or the gateway's own socket client. */
    public enum Client {
        JDK, SOCKET;

        public static Client parse(String text) {
            return switch (text) {
                case "jdk" -> JDK;
                case "socket" -> SOCKET;
                default -> throw new IllegalArgumentException(text);
            };
        }
    }

    public UpstreamSettings {
        addresses = Map.copyOf(addresses);
    }

    public Optional<URI> address(Upstream upstream) {
        return Optional.ofNullable(addresses.get(upstream));
    }

    /** Time the upstream has to send its response headers (or a WebSocket handshake answer). */
    public Duration timeoutFor(Upstream upstream) {
        return upstream == Upstream.DISTRIBUTOR ? pushTimeout : queryTimeout;
    }

    /** The shortest of the per-upstream timeouts (sets how precisely they are enforced). */
    public Duration shortestTimeout() {
        return pushTimeout.compareTo(queryTimeout) < 0 ? pushTimeout : queryTimeout;
    }
}

package io.authgateway.config;

import java.net.URI;
import java.time.Duration;

/**
 * Where the public keys for asymmetric tokens come from (the Go fork's JWKS flags).
 *
 * @param url             the JWKS document, http or https
 * @param refreshEnabled  re-fetch every {@code refreshInterval} (default false, as in Go)
 * @param refreshInterval time between background refreshes (default 60 minutes)
 * @param timeout         limit for one fetch, connect to last byte (default 30 seconds)
 */
public record JwksSettings(URI url, boolean refreshEnabled, Duration refreshInterval, Duration timeout) {
}

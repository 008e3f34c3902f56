package io.authgateway.gateway;

import io.authgateway.config.ListenerTlsSettings;
import io.authgateway.config.ServerSettings;
import io.authgateway.config.UpstreamTlsSettings;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.Log;
import io.authgateway.server.ServerTls;
import io.authgateway.tls.TlsContext;
import io.authgateway.tls.TlsMaterialException;
import io.authgateway.tls.TlsReloader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's TLS contexts, listener and upstream client, made from the settings at start-up,
 * their reload metrics bound, closed at stop. Files were checked when the flags were read; a file
 * that broke in between fails the start here.
 */
final class GatewayTls implements AutoCloseable {

    private final Optional<TlsContext> listener;
    private final Optional<ListenerTlsSettings> listenerSettings;
    private final List<TlsContext> all = new ArrayList<>();

    private GatewayTls(Optional<TlsContext> listener, Optional<ListenerTlsSettings> listenerSettings) {
        this.listener = listener;
        this.listenerSettings = listenerSettings;
        listener.ifPresent(all::add);
    }

    static GatewayTls start(ServerSettings server, UpstreamTlsSettings upstream, Log log) throws IOException {
        Optional<ListenerTlsSettings> settings = server.tls();
        if (settings.isEmpty()) {
            return new GatewayTls(Optional.empty(), settings);
        }
        ListenerTlsSettings tls = settings.get();
        try {
            return new GatewayTls(Optional.of(TlsContext.forListener(new TlsReloader.KeyFiles(tls.certificate(), tls.key()),
                    tls.ca(), tls.clientAuth(), log)), settings);
        } catch (TlsMaterialException e) {
            throw new IOException("listener TLS: " + e.getMessage(), e);
        }
    }

    /** HTTPS for the listener, if configured. */
    Optional<ServerTls> serverTls() {
        return listener.map(context -> new ServerTls(context.sslContext(), listenerSettings.orElseThrow().clientAuth(),
                listenerSettings.orElseThrow().protocols(), listenerSettings.orElseThrow().cipherSuites()));
    }

    void bindMetrics(GatewayMetrics metrics) {
        for (TlsContext context : all) {
            TlsReloader reloader = context.reloader();
            metrics.functionCounter("cortex_gateway_tls_reload_failures", "TLS certificate, key or CA reloads that failed"
                    + " (the previous material stays in use)", reloader, TlsReloader::failures, "side", reloader.side());
            if (!Double.isNaN(reloader.expirySeconds())) {
                metrics.gauge("cortex_gateway_tls_certificate_expiry_timestamp_seconds", "notAfter of the certificate"
                        + " served, in seconds since the epoch", reloader, TlsReloader::expirySeconds, "side", reloader.side());
            }
        }
    }

    @Override
    public void close() {
        all.forEach(TlsContext::close);
    }
}

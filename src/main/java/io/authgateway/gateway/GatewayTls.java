package io.authgateway.gateway;

import io.authgateway.config.ListenerTlsSettings;
import io.authgateway.config.ServerSettings;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.config.UpstreamTlsSettings;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.Log;
import io.authgateway.server.ServerTls;
import io.authgateway.tls.TlsContext;
import io.authgateway.tls.TlsMaterialException;
import io.authgateway.tls.TlsReloader;
import io.authgateway.upstream.UpstreamTls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's TLS contexts, listener and upstream client, made from the settings at start-up,
 * their reload metrics bound, closed at stop. Files were checked when the flags were read; a file
 * that broke in between fails the start here. The upstream context exists only when an upstream
 * is https: the JDK's trust store costs some 100 ms to load, which plain-HTTP gateways skip.
 */
final class GatewayTls implements AutoCloseable {

    private final Optional<ServerTls> server;
    private final Optional<UpstreamTls> upstream;
    private final List<TlsContext> contexts;

    private GatewayTls(Optional<ServerTls> server, Optional<UpstreamTls> upstream, List<TlsContext> contexts) {
        this.server = server;
        this.upstream = upstream;
        this.contexts = List.copyOf(contexts);
    }

    static GatewayTls start(ServerSettings serverSettings, UpstreamSettings upstreams, Log log) throws IOException {
        List<TlsContext> contexts = new ArrayList<>();
        try {
            Optional<ServerTls> server = Optional.empty();
            if (serverSettings.tls().isPresent()) {
                ListenerTlsSettings tls = serverSettings.tls().get();
                TlsContext context = TlsContext.forListener(new TlsReloader.KeyFiles(tls.certificate(), tls.key()),
                        tls.ca(), tls.clientAuth(), log);
                contexts.add(context);
                server = Optional.of(new ServerTls(context::sslContext, tls.clientAuth(), tls.protocols(), tls.cipherSuites()));
            }
            Optional<UpstreamTls> upstream = Optional.empty();
            if (upstreams.addresses().values().stream().anyMatch(uri -> "https".equalsIgnoreCase(uri.getScheme()))) {
                UpstreamTlsSettings tls = upstreams.tls();
                Optional<TlsReloader.KeyFiles> pair = tls.certificate().isPresent()
                        ? Optional.of(new TlsReloader.KeyFiles(tls.certificate().get(), tls.key().orElseThrow()))
                        : Optional.empty();
                TlsContext context = TlsContext.forUpstream(pair, tls.ca(), tls.serverName(), tls.insecureSkipVerify(), log);
                contexts.add(context);
                upstream = Optional.of(new UpstreamTls(context.sslContext(), tls.serverName(),
                        tls.serverName().isEmpty() && !tls.insecureSkipVerify()));
            }
            return new GatewayTls(server, upstream, contexts);
        } catch (TlsMaterialException e) {
            contexts.forEach(TlsContext::close);
            throw new IOException("TLS: " + e.getMessage(), e);
        }
    }

    /** HTTPS for the listener, if configured. */
    Optional<ServerTls> serverTls() {
        return server;
    }

    /** TLS for https upstreams, if any upstream is https. */
    Optional<UpstreamTls> upstreamTls() {
        return upstream;
    }

    void bindMetrics(GatewayMetrics metrics) {
        for (TlsContext context : contexts) {
            TlsReloader reloader = context.reloader();
            metrics.functionCounter("cortex_gateway_tls_reload_failures", "TLS certificate, key or CA reloads that failed"
                    + " (the previous material stays in use)", reloader, TlsReloader::failures, "side", reloader.side());
            if (!Double.isNaN(reloader.expirySeconds())) {
                metrics.gauge("cortex_gateway_tls_certificate_expiry_timestamp_seconds", "notAfter of the certificate"
                        + " presented, in seconds since the epoch", reloader, TlsReloader::expirySeconds, "side", reloader.side());
            }
        }
    }

    @Override
    public void close() {
        contexts.forEach(TlsContext::close);
    }
}

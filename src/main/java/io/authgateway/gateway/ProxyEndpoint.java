package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.CertificateTenantResolver;
import io.authgateway.auth.StaticTenantResolver;
import io.authgateway.auth.TenantResolver;
import io.authgateway.codec.RequestTarget;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.Upstream;
import io.authgateway.server.ConnectionControl;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyOutcome;
import io.authgateway.upstream.UpstreamTransport;
import io.authgateway.upstream.UpstreamUris;
import io.opentelemetry.api.trace.Span;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request on a proxied route: authenticate it, then forward it to its upstream component. What
 * came of it is answered and recorded by {@link Outcomes}.
 */
final class ProxyEndpoint {

    private final UpstreamSettings upstreams;
    private final TenantResolver resolver;
    private final CertificateTenantResolver certificates;
    private final UpstreamTransport transport;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Outcomes outcomes;
    private final Log log;
    /** Static-tenant mode authenticates nothing, so, as in Go, it counts nothing. */
    private final boolean countsAuthentications;

    ProxyEndpoint(UpstreamSettings upstreams, TenantResolver resolver, CertificateTenantResolver certificates,
                  UpstreamTransport transport, GatewayMetrics metrics, GatewayTracing tracing, Outcomes outcomes, Log log) {
        this.upstreams = upstreams;
        this.resolver = resolver;
        this.certificates = certificates;
        this.transport = transport;
        this.metrics = metrics;
        this.tracing = tracing;
        this.outcomes = outcomes;
        this.log = log;
        this.countsAuthentications = !(resolver instanceof StaticTenantResolver);
    }

    void handle(HttpExchange exchange, RequestTarget target, Upstream upstream, Span span) throws IOException {
        Optional<URI> base = upstreams.address(upstream);
        if (base.isEmpty()) {
            outcomes.upstreamNotConfigured(exchange, span, upstream);
            return;
        }
        if (log.enabled(LogLevel.DEBUG)) {
            log.debug("authenticating request", Outcomes.fields(span, "route", target.path(),
                    "ip_address", Outcomes.clientIp(exchange)));
        }
        Optional<X509Certificate> certificate = ConnectionControl.of(exchange).verifiedClientCertificate();
        Optional<AuthResult> byCertificate = certificates.resolve(certificate);
        AuthResult result = byCertificate.orElseGet(() -> resolver.resolve(exchange.getRequestHeaders()));
        Object[] credential = byCertificate.isPresent() ? credentialFields(certificate.get(), span) : new Object[0];
        switch (result) {
            case AuthResult.Rejected rejected -> outcomes.rejected(exchange, span, rejected);
            case AuthResult.Authenticated authenticated -> {
                if (byCertificate.isPresent()) {
                    log.debug("authenticated by client certificate", Outcomes.fields(span, "org_id",
                            authenticated.tenant(), "cert_subject", credential[1], "cert_serial", credential[3]));
                }
                if (countsAuthentications) {
                    metrics.authenticationSucceeded(authenticated.tenant());
                }
                span.setAttribute("gateway.tenant", authenticated.tenant());
                span.setAttribute("gateway.upstream", upstream.label());
                forward(exchange, target, upstream, base.get(), authenticated, span, credential);
            }
        }
    }

    /** The certificate a request was authenticated with, for its span and log lines. */
    private static Object[] credentialFields(X509Certificate certificate, Span span) {
        String subject = certificate.getSubjectX500Principal().getName();
        String serial = CertificateTenantResolver.serial(certificate);
        span.setAttribute("gateway.client_cert.subject", subject);
        span.setAttribute("gateway.client_cert.serial", serial);
        return new Object[] {"cert_subject", subject, "cert_serial", serial};
    }

    private void forward(HttpExchange exchange, RequestTarget target, Upstream upstream, URI base,
                         AuthResult.Authenticated auth, Span span, Object[] credential) throws IOException {
        String path = UpstreamUris.joinPath(base, target.path());
        Span client = tracing.startClientSpan(span, exchange.getRequestMethod(), upstream.label(),
                tracing.enabled() ? base.getScheme() + "://" + base.getRawAuthority() + path : "");
        Map<String, String> traceHeaders = Map.of();
        Set<String> withheld = auth.withheldHeaders();
        if (tracing.enabled()) {
            traceHeaders = new LinkedHashMap<>();
            tracing.inject(client, traceHeaders::put);
            withheld = new HashSet<>(withheld);
            withheld.addAll(tracing.replacedHeaders());
        }
        metrics.proxied(upstream);
        ProxyOutcome outcome;
        try {
            outcome = transport.forward(exchange, new ForwardRequest(upstream, base, path, target.query(),
                    auth.tenant(), withheld, traceHeaders));
        } catch (RuntimeException e) {
            client.end();
            throw e;
        }
        outcomes.proxied(exchange, span, client, upstream, auth.tenant(), credential, outcome);
    }
}

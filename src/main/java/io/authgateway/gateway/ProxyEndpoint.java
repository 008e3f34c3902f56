package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.authgateway.access.AccessPolicy;
import io.authgateway.access.Decision;
import io.authgateway.access.TenantChoice;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.CertificateTenantResolver;
import io.authgateway.auth.StaticTenantResolver;
import io.authgateway.auth.TenantResolver;
import io.authgateway.codec.RequestTarget;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.limits.Admission;
import io.authgateway.limits.Limits;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogLevel;
import io.authgateway.routing.Destination;
import io.authgateway.routing.RouteClass;
import io.authgateway.routing.Upstream;
import io.authgateway.server.ConnectionControl;
import io.authgateway.upstream.ForwardRequest;
import io.authgateway.upstream.ProxyHeaders;
import io.authgateway.upstream.ProxyOutcome;
import io.authgateway.upstream.UpstreamTransport;
import io.authgateway.upstream.UpstreamUris;
import io.opentelemetry.api.trace.Span;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request on a proxied route: authenticate it, decide what its credential may do on this route
 * ({@link AccessPolicy}), then forward it to its upstream component for the tenants it was allowed.
 * What came of it is answered and recorded by {@link Outcomes}.
 */
final class ProxyEndpoint {

    private static final Object[] NO_CERTIFICATE = new Object[0];

    private final UpstreamSettings upstreams;
    private final TenantResolver resolver;
    private final CertificateTenantResolver certificates;
    private final AccessPolicy policy;
    private final UpstreamTransport transport;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Outcomes outcomes;
    private final Log log;
    private final ObserveOnly observeOnly;
    private final Limits limits;
    /** Static-tenant mode authenticates nothing, so, as in Go, it counts nothing. */
    private final boolean countsAuthentications;

    ProxyEndpoint(UpstreamSettings upstreams, TenantResolver resolver, CertificateTenantResolver certificates,
                  AccessPolicy policy, UpstreamTransport transport, GatewayMetrics metrics, GatewayTracing tracing,
                  Outcomes outcomes, Log log, ObserveOnly observeOnly, Limits limits) {
        this.upstreams = upstreams;
        this.resolver = resolver;
        this.certificates = certificates;
        this.policy = policy;
        this.transport = transport;
        this.metrics = metrics;
        this.tracing = tracing;
        this.outcomes = outcomes;
        this.log = log;
        this.observeOnly = observeOnly;
        this.limits = limits;
        this.countsAuthentications = !(resolver instanceof StaticTenantResolver);
    }

    void handle(HttpExchange exchange, RequestTarget target, Destination.Proxy destination, Span span) throws IOException {
        Upstream upstream = destination.upstream();
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
        Object[] credential = byCertificate.isPresent() ? credentialFields(exchange, certificate.get(), span) : NO_CERTIFICATE;
        Forward forward = new Forward(exchange, target, upstream, base.get(), span, credential);
        switch (byCertificate.orElseGet(() -> resolver.resolve(exchange.getRequestHeaders()))) {
            case AuthResult.Rejected rejected when observeOnly.enabled() -> {
                outcomes.observed(exchange, span, rejected);
                forward.to(ObserveOnly.tenant(rejected.verifiedTenant(), exchange.getRequestHeaders()),
                        resolver.withheldHeaders());
            }
            case AuthResult.Rejected rejected -> outcomes.rejected(exchange, span, rejected);
            case AuthResult.Authenticated authenticated -> {
                if (credential != NO_CERTIFICATE && log.enabled(LogLevel.DEBUG)) {
                    log.debug("authenticated by client certificate", Outcomes.fields(span, "org_id",
                            authenticated.grant().label(), credential[0], credential[1], credential[2], credential[3]));
                }
                authorize(exchange, destination, authenticated, forward);
            }
        }
    }

    /** What the credential may do on this route decides what is forwarded, for which tenants, or the refusal. */
    private void authorize(HttpExchange exchange, Destination.Proxy destination, AuthResult.Authenticated authenticated,
                           Forward forward) throws IOException {
        AuditEntry.identified(exchange, authenticated.identity());
        RouteClass routeClass = destination.kind().classFor(exchange.getRequestMethod());
        switch (policy.decide(authenticated.grant(), routeClass, chosenTenants(exchange, authenticated))) {
            case Decision.Denied denied when observeOnly.enabled() -> {
                outcomes.observed(exchange, forward.span, denied, routeClass, authenticated);
                forward.to(ObserveOnly.tenant(verifiedTenant(authenticated), exchange.getRequestHeaders()),
                        authenticated.withheldHeaders());
            }
            case Decision.Denied denied -> outcomes.denied(exchange, forward.span, denied, routeClass, authenticated);
            case Decision.Allowed allowed -> {
                if (countsAuthentications) {
                    allowed.tenants().forEach(metrics::authenticationSucceeded);
                }
                forward.span.setAttribute("gateway.tenant", allowed.orgIdHeader());
                forward.span.setAttribute("gateway.upstream", forward.upstream.label());
                limitThenForward(exchange, routeClass, allowed, authenticated.withheldHeaders(), forward);
            }
        }
    }

    /** The certificate a request was authenticated with, for its span, log lines and audit line. */
    private static Object[] credentialFields(HttpExchange exchange, X509Certificate certificate, Span span) {
        String subject = certificate.getSubjectX500Principal().getName();
        String serial = CertificateTenantResolver.serial(certificate);
        span.setAttribute("gateway.client_cert.subject", subject);
        span.setAttribute("gateway.client_cert.serial", serial);
        AuditEntry.certificate(exchange, subject, serial);
        return new Object[] {"cert_subject", subject, "cert_serial", serial};
    }

    /**
     * Observe-only: a single-tenant credential's tenant is the verified one; a tenant list has no
     * single verified tenant, so the client's own header (or none) goes, as a pass-through proxy did.
     */
    private static String verifiedTenant(AuthResult.Authenticated authenticated) {
        return authenticated.grant().federated() ? null : authenticated.grant().tenants().getFirst();
    }

    /**
     * A Basic username's choice, else (tenant-list credentials only) the client's {@code X-Scope-OrgID};
     * a single-tenant credential's client header is overwritten unread, as it always was.
     */
    private static Optional<String> chosenTenants(HttpExchange exchange, AuthResult.Authenticated authenticated) {
        if (authenticated.chosenTenants().isPresent()) {
            return authenticated.chosenTenants();
        }
        if (!authenticated.grant().federated()) {
            return Optional.empty();
        }
        return TenantChoice.fromHeader(exchange.getRequestHeaders().get(ProxyHeaders.ORG_ID));
    }

    /**
     * The limits of every tenant the request acts on decide whether it goes on (a federated read is
     * charged to each); nothing is forwarded or read before.
     */
    private void limitThenForward(HttpExchange exchange, RouteClass routeClass, Decision.Allowed allowed,
                                  Set<String> withheldHeaders, Forward forward) throws IOException {
        switch (limits.limiter().admit(allowed.tenants(), routeClass,
                ConnectionControl.of(exchange).declaredRequestLength())) {
            case Admission.Refused refused ->
                    outcomes.limited(exchange, forward.span, refused, limits.refusalToLog(refused.tenant()));
            case Admission.Unavailable unavailable -> outcomes.limitsUnavailable(exchange, forward.span, unavailable);
            case Admission.Admitted admitted -> {
                if (admitted.permit().chargesBody()) {
                    exchange.setStreams(admitted.permit().meter(exchange.getRequestBody()), null);
                }
                try {
                    forward.to(allowed.orgIdHeader(), withheldHeaders);
                } finally {
                    admitted.permit().release(ConnectionControl.of(exchange).requestBodyBytes());
                }
            }
        }
    }

    /** One request's way upstream, once it is decided with which {@code X-Scope-OrgID}. */
    private final class Forward {
        private final HttpExchange exchange;
        private final RequestTarget target;
        private final Upstream upstream;
        private final URI base;
        private final Span span;
        /** {@code cert_subject}, {@code cert_serial} for the log lines when a certificate authenticated the request. */
        private final Object[] credential;

        Forward(HttpExchange exchange, RequestTarget target, Upstream upstream, URI base, Span span, Object[] credential) {
            this.exchange = exchange;
            this.target = target;
            this.upstream = upstream;
            this.base = base;
            this.span = span;
            this.credential = credential;
        }

        /** @param orgId the {@code X-Scope-OrgID} to send, null for none (observe-only mode) */
        void to(String orgId, Set<String> withheldHeaders) throws IOException {
            String path = UpstreamUris.joinPath(base, target.path());
            Span client = tracing.startClientSpan(span, exchange.getRequestMethod(), upstream.label(),
                    tracing.enabled() ? base.getScheme() + "://" + base.getRawAuthority() + path : "");
            Map<String, String> traceHeaders = Map.of();
            Set<String> withheld = withheldHeaders;
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
                        orgId, withheld, traceHeaders));
            } catch (RuntimeException e) {
                client.end();
                throw e;
            }
            outcomes.proxied(exchange, span, client, upstream, orgId, credential, outcome);
        }
    }
}

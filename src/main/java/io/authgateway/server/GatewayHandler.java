package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.TenantResolver;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.observability.Log;
import io.authgateway.proxy.ForwardRequest;
import io.authgateway.proxy.ProxyOutcome;
import io.authgateway.proxy.UpstreamTransport;
import io.authgateway.proxy.UpstreamUris;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteTable;
import io.authgateway.routing.Upstream;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Every request enters here: path checks, route lookup, then either a local endpoint or
 * authentication followed by the proxy. The flow reads top to bottom as server → auth → routing →
 * proxy; all local answers go through {@link Responses}.
 */
public final class GatewayHandler implements HttpHandler {

    private final RouteTable routes;
    private final String pathPrefix;
    private final UpstreamSettings upstreams;
    private final TenantResolver resolver;
    private final UpstreamTransport transport;
    private final Lifecycle lifecycle;
    private final Log log;

    public GatewayHandler(RouteTable routes, String pathPrefix, UpstreamSettings upstreams, TenantResolver resolver,
                          UpstreamTransport transport, Lifecycle lifecycle, Log log) {
        this.routes = routes;
        this.pathPrefix = pathPrefix;
        this.upstreams = upstreams;
        this.resolver = resolver;
        this.transport = transport;
        this.lifecycle = lifecycle;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) {
        // The exchange is closed only after the catch blocks: try-with-resources would close it
        // before them, and the 500 could no longer be sent (the client saw a dropped connection).
        try (exchange) {
            dispatchOrAnswer500(exchange);
        }
    }

    private void dispatchOrAnswer500(HttpExchange exchange) {
        try {
            dispatch(exchange);
        } catch (IOException e) {
            log.debug("client connection failed", "path", exchange.getRequestURI().getRawPath(), "err", e.toString());
        } catch (RuntimeException e) {
            log.error("request failed unexpectedly", "path", exchange.getRequestURI().getRawPath(), "err", e.toString());
            if (exchange.getResponseCode() == -1) {
                try {
                    Responses.text(exchange, 500, "Internal Server Error");
                } catch (IOException ignored) {
                    log.debug("could not send 500, client gone", "err", ignored.toString());
                }
            }
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        if (RequestLimits.headerBytes(exchange.getRequestHeaders()) > RequestLimits.MAX_HEADER_BYTES) {
            log.info("request headers too large", "path", exchange.getRequestURI().getRawPath(), "ip_address", clientIp(exchange));
            Responses.headersTooLarge(exchange);
            return;
        }
        URI uri = exchange.getRequestURI();
        String path = decodedPath(uri);
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            Responses.text(exchange, 400, "Bad Request");
            return;
        }
        if (!PathCleaner.isClean(path)) {
            Responses.movedPermanently(exchange, cleanedLocation(path, uri.getRawQuery()));
            return;
        }
        String routed = withoutPrefix(path);
        Route route = routed == null ? RouteTable.notFound() : routes.match(routed);
        switch (route.destination()) {
            case Destination.Proxy proxy -> proxy(exchange, proxy.upstream());
            case Destination.Local local -> local(exchange, local);
        }
    }

    private void local(HttpExchange exchange, Destination.Local local) throws IOException {
        switch (local) {
            case HEALTH -> Responses.text(exchange, 200, "ok");
            case READY -> {
                if (lifecycle.ready()) {
                    Responses.text(exchange, 200, "ready");
                } else {
                    Responses.text(exchange, 503, "Service Unavailable");
                }
            }
            case METRICS, NOT_FOUND -> notFound(exchange);
        }
    }

    private void proxy(HttpExchange exchange, Upstream upstream) throws IOException {
        Optional<URI> base = upstreams.address(upstream);
        if (base.isEmpty()) {
            log.info("no upstream configured for this route", "path", exchange.getRequestURI().getRawPath(),
                    "missing_flag", "-" + upstream.flagName());
            Responses.text(exchange, 404, "404 page not found: no " + upstream.displayName()
                    + " configured, set -" + upstream.flagName());
            return;
        }
        switch (resolver.resolve(exchange.getRequestHeaders())) {
            case AuthResult.Rejected rejected -> {
                log.info(rejected.reason().logMessage(), "reason", rejected.reason().metricLabel(), "err", rejected.detail(),
                        "path", exchange.getRequestURI().getRawPath(), "ip_address", clientIp(exchange));
                Responses.reject(exchange, rejected.reason());
            }
            case AuthResult.Authenticated authenticated -> forward(exchange, upstream, base.get(), authenticated);
        }
    }

    private void forward(HttpExchange exchange, Upstream upstream, URI base, AuthResult.Authenticated auth)
            throws IOException {
        URI uri = exchange.getRequestURI();
        ForwardRequest request = new ForwardRequest(upstream, UpstreamUris.resolve(base, uri.getRawPath(), uri.getRawQuery()),
                auth.tenant(), auth.withheldHeaders());
        switch (transport.forward(exchange, request)) {
            case ProxyOutcome.Relayed relayed -> log.debug("request proxied", "target", upstream.label(),
                    "status", relayed.status(), "org_id", auth.tenant());
            case ProxyOutcome.Failed failed -> {
                log.warn("proxy error", "target", upstream.label(), "kind", failed.failure().kind(),
                        "err", failed.detail(), "path", uri.getRawPath(), "org_id", auth.tenant());
                Responses.failure(exchange, failed.failure());
            }
            case ProxyOutcome.Aborted aborted -> log.info("proxied request aborted", "target", upstream.label(),
                    "err", aborted.detail(), "path", uri.getRawPath(), "org_id", auth.tenant());
        }
    }

    private void notFound(HttpExchange exchange) throws IOException {
        log.info("no request handler defined for this route", "route", exchange.getRequestURI().getRawPath(),
                "ip_address", clientIp(exchange));
        Responses.text(exchange, 404, "404 page not found");
    }

    /** The path as the route table sees it, or null for a path outside the prefix. */
    private String withoutPrefix(String path) {
        if (pathPrefix.isEmpty()) {
            return path;
        }
        if (path.equals(pathPrefix)) {
            return "/";
        }
        if (path.startsWith(pathPrefix) && path.charAt(pathPrefix.length()) == '/') {
            return path.substring(pathPrefix.length());
        }
        return null;
    }

    /**
     * The request path as the client sent it. {@code java.net.URI} reads a target starting with
     * {@code //} as an authority ({@code //api/v1/push} would look like path {@code /v1/push}), so
     * the authority is put back in front of such a path.
     */
    private static String decodedPath(URI uri) {
        String path = uri.getPath();
        if (uri.getScheme() == null && uri.getRawAuthority() != null) {
            return "//" + uri.getAuthority() + (path == null ? "" : path);
        }
        return path;
    }

    private static String cleanedLocation(String path, String rawQuery) {
        try {
            String encoded = new URI(null, null, PathCleaner.clean(path), null).getRawPath();
            return rawQuery == null ? encoded : encoded + "?" + rawQuery;
        } catch (URISyntaxException e) {
            return "/";
        }
    }

    private static String clientIp(HttpExchange exchange) {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }
}

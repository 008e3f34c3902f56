package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.authgateway.auth.TenantResolver;
import io.authgateway.config.UpstreamSettings;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.GatewayTracing;
import io.authgateway.observability.HttpMethods;
import io.authgateway.observability.Log;
import io.authgateway.proxy.UpstreamTransport;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteTable;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every request enters here: path checks, route lookup, then either a local endpoint or
 * authentication followed by the proxy. The flow reads top to bottom as server → auth → routing →
 * proxy; all local answers go through {@link Responses}. Each request is measured (Go metric
 * names) and traced (one server span, one client span for the upstream call).
 */
public final class GatewayHandler implements HttpHandler {

    /** nginx's "client closed request": the client left before any answer was sent. */
    private static final int CLIENT_CLOSED = 499;

    private final RouteTable routes;
    private final String pathPrefix;
    private final ProxyEndpoint proxyEndpoint;
    private final Lifecycle lifecycle;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    private final Log log;

    public GatewayHandler(RouteTable routes, String pathPrefix, UpstreamSettings upstreams, TenantResolver resolver,
                          UpstreamTransport transport, Lifecycle lifecycle, GatewayMetrics metrics,
                          GatewayTracing tracing, ConnectionAccess connections, Log log) {
        this.routes = routes;
        this.pathPrefix = pathPrefix;
        this.proxyEndpoint = new ProxyEndpoint(upstreams, resolver, transport, metrics, tracing, connections, log);
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.tracing = tracing;
        this.log = log;
    }

    /** The request path and its route; route is null for a path that is malformed or not canonical. */
    private record Target(String path, Route route) {
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        CountingStreams counts = CountingStreams.install(exchange);
        String method = HttpMethods.label(exchange.getRequestMethod());
        Target target = target(exchange.getRequestURI());
        String routeLabel = target.route() == null ? "other" : target.route().label();
        String routePath = target.route() == null ? "other" : target.route().path();
        Span span = tracing.startServerSpan(exchange.getRequestHeaders(),
                method + " " + (target.route() == null || target.route() == RouteTable.notFound() ? routeLabel : routePath),
                method, routePath);
        metrics.requestStarted(method, routeLabel);
        try (exchange) {
            dispatchOrAnswer500(exchange, target, span);
        } finally {
            int status = status(exchange);
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            metrics.requestFinished(method, routeLabel, isUpgrade(exchange), status,
                    Duration.ofNanos(System.nanoTime() - started), counts.requestBytes(), counts.responseBytes());
        }
    }

    /**
     * The exchange is closed only after these catch blocks (by the caller): a try-with-resources
     * here would close it first, and the 500 could no longer be sent.
     */
    private void dispatchOrAnswer500(HttpExchange exchange, Target target, Span span) {
        try (Scope ignored = span.makeCurrent()) {
            dispatch(exchange, target, span);
        } catch (IOException e) {
            log.debug("client connection failed", fields(span, "path", rawPath(exchange), "err", e.toString()));
        } catch (RuntimeException e) {
            log.error("request failed unexpectedly", fields(span, "path", rawPath(exchange), "err", e.toString()));
            span.recordException(e);
            answerInternalError(exchange);
        }
    }

    private void dispatch(HttpExchange exchange, Target target, Span span) throws IOException {
        if (RequestLimits.headerBytes(exchange.getRequestHeaders()) > RequestLimits.MAX_HEADER_BYTES) {
            log.info("request headers too large", fields(span, "path", rawPath(exchange), "ip_address", clientIp(exchange)));
            Responses.headersTooLarge(exchange);
            return;
        }
        if (target.path() == null || target.path().isEmpty() || target.path().charAt(0) != '/') {
            Responses.text(exchange, 400, "Bad Request");
            return;
        }
        if (target.route() == null) {
            Responses.movedPermanently(exchange, cleanedLocation(target.path(), exchange.getRequestURI().getRawQuery()));
            return;
        }
        switch (target.route().destination()) {
            case Destination.Proxy proxy -> proxyEndpoint.handle(exchange, proxy.upstream(), span);
            case Destination.Local local -> local(exchange, local, span);
        }
    }

    private void local(HttpExchange exchange, Destination.Local local, Span span) throws IOException {
        switch (local) {
            case HEALTH -> Responses.text(exchange, 200, "ok");
            case READY -> {
                if (lifecycle.ready()) {
                    Responses.text(exchange, 200, "ready");
                } else {
                    Responses.text(exchange, 503, "Service Unavailable");
                }
            }
            case METRICS -> {
                GatewayMetrics.Exposition exposition = metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"));
                Responses.body(exchange, 200, exposition.contentType(), exposition.body().getBytes(StandardCharsets.UTF_8));
            }
            case NOT_FOUND -> {
                log.info("no request handler defined for this route", fields(span, "route", rawPath(exchange),
                        "ip_address", clientIp(exchange)));
                Responses.text(exchange, 404, "404 page not found");
            }
        }
    }

    private Target target(URI uri) {
        String path = decodedPath(uri);
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || !PathCleaner.isClean(path)) {
            return new Target(path, null);
        }
        String routed = withoutPrefix(path);
        return new Target(path, routed == null ? RouteTable.notFound() : routes.match(routed));
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

    private void answerInternalError(HttpExchange exchange) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            Responses.text(exchange, 500, "Internal Server Error");
        } catch (IOException e) {
            log.debug("could not send 500, client gone", "err", e.toString());
        }
    }

    private static int status(HttpExchange exchange) {
        int code = exchange.getResponseCode();
        return code == -1 ? CLIENT_CLOSED : code;
    }

    /** weaveworks: {@code ws="true"} when {@code Upgrade: websocket} and {@code Connection} contains upgrade. */
    static boolean isUpgrade(HttpExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
        String connection = exchange.getRequestHeaders().getFirst("Connection");
        return upgrade != null && connection != null && upgrade.equalsIgnoreCase("websocket")
                && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    static Object[] fields(Span span, Object... keyValues) {
        List<Object> traceFields = GatewayTracing.logFields(span);
        if (traceFields.isEmpty()) {
            return keyValues;
        }
        List<Object> all = new ArrayList<>(List.of(keyValues));
        all.addAll(traceFields);
        return all.toArray();
    }

    static String rawPath(HttpExchange exchange) {
        return exchange.getRequestURI().getRawPath();
    }

    static String clientIp(HttpExchange exchange) {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }
}

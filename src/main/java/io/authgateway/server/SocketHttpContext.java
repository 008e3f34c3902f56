package io.authgateway.server;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A path prefix of a {@link SocketHttpServer} with its handler and filters. */
final class SocketHttpContext extends HttpContext {

    private final String path;
    private final SocketHttpServer server;
    private final List<Filter> filters = new CopyOnWriteArrayList<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile HttpHandler handler;
    private volatile Authenticator authenticator;

    SocketHttpContext(String path, HttpHandler handler, SocketHttpServer server) {
        this.path = path;
        this.handler = handler;
        this.server = server;
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
        if (this.handler != null) {
            throw new IllegalArgumentException("handler already set");
        }
        this.handler = handler;
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public List<Filter> getFilters() {
        return filters;
    }

    @Override
    public Authenticator setAuthenticator(Authenticator authenticator) {
        Authenticator previous = this.authenticator;
        this.authenticator = authenticator;
        return previous;
    }

    @Override
    public Authenticator getAuthenticator() {
        return authenticator;
    }

    /** Runs the authenticator (if any), then the filters and the handler, as the JDK server does. */
    void handle(SocketExchange exchange) throws IOException {
        Authenticator checker = authenticator;
        if (checker != null) {
            switch (checker.authenticate(exchange)) {
                case Authenticator.Success success -> exchange.setPrincipal(success.getPrincipal());
                case Authenticator.Failure failure -> {
                    exchange.sendResponseHeaders(failure.getResponseCode(), -1);
                    return;
                }
                case Authenticator.Retry retry -> {
                    exchange.sendResponseHeaders(retry.getResponseCode(), -1);
                    return;
                }
                default -> throw new IllegalStateException("unknown authenticator result");
            }
        }
        new Filter.Chain(filters, handler).doFilter(exchange);
    }
}

package io.authgateway.connection;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * Puts every response body under the {@link WriteStallWatchdog}: when a write to the client stalls
 * past the limit, the client's socket is closed, which fails the blocked write and ends the exchange.
 */
public final class WriteStallFilter extends Filter {

    private final WriteStallWatchdog watchdog;
    private final ConnectionAccess access;

    public WriteStallFilter(WriteStallWatchdog watchdog, ConnectionAccess access) {
        this.watchdog = watchdog;
        this.access = access;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        try (var guard = watchdog.guard(exchange.getRequestURI().getRawPath(), () -> access.abort(exchange))) {
            exchange.setStreams(null, guard.wrap(exchange.getResponseBody()));
            chain.doFilter(exchange);
        }
    }

    @Override
    public String description() {
        return "closes a connection whose response write stalls longer than -server.http-write-timeout";
    }
}

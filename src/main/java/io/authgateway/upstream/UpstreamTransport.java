package io.authgateway.upstream;

import com.sun.net.httpserver.HttpExchange;

/**
 * Sends one request to an upstream and streams its answer back into the exchange. Implementations
 * never hold a whole body in memory, write the response headers at most once, and report every
 * failure as a {@link ProxyOutcome} instead of throwing.
 */
public interface UpstreamTransport extends AutoCloseable {

    ProxyOutcome forward(HttpExchange exchange, ForwardRequest request);

    @Override
    void close();
}

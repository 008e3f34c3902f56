package io.authgateway.connection;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Taking over, aborting and counting client connections, which the {@code HttpServer} API has no
 * public way to do: the WebSocket relay takes the connection, the write-stall limit aborts it, the
 * connection gauge counts them. The gateway's own server does it directly
 * ({@code socketserver.SocketServerAccess}); the JDK server only through its internals
 * ({@code jdkserver.JdkConnectionAccess}), or not at all ({@link Unavailable}).
 */
public interface ConnectionAccess {

    /** The exchange's raw connection, or empty when this exchange is not one this access can take. */
    Optional<RawConnection> take(HttpExchange exchange);

    /**
     * Ends the bookkeeping of an exchange whose connection was taken: the server records
     * {@code status} as the response code (for logs and metrics), counts the exchange as finished and
     * closes the connection. Nothing more is written to the client.
     */
    void finishTaken(HttpExchange exchange, int status) throws IOException;

    /** Closes the client's socket now, from any thread, which fails a write blocked on it. */
    boolean abort(HttpExchange exchange);

    /** The server's open connection count, if reachable. */
    Optional<IntSupplier> connectionCount(HttpServer server);

    /** Connections cannot be taken (the JDK server without its JVM option); {@code reason} says why. */
    record Unavailable(String reason) implements ConnectionAccess {

        @Override
        public Optional<RawConnection> take(HttpExchange exchange) {
            return Optional.empty();
        }

        @Override
        public void finishTaken(HttpExchange exchange, int status) {
        }

        @Override
        public boolean abort(HttpExchange exchange) {
            return false;
        }

        @Override
        public Optional<IntSupplier> connectionCount(HttpServer server) {
            return Optional.empty();
        }
    }
}

package io.authgateway.socketserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.connection.RawConnection;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * {@link ConnectionAccess} for exchanges of a {@link SocketHttpServer}: the server owns its
 * sockets, so taking, aborting and counting connections needs no reflection and no JVM option.
 * Exchanges filtered through a wrapper are reached through it.
 */
public record SocketServerAccess() implements ConnectionAccess {

    @Override
    public Optional<RawConnection> take(HttpExchange exchange) {
        return exchange instanceof SocketExchange socket ? Optional.of(socket.take()) : Optional.empty();
    }

    @Override
    public void finishTaken(HttpExchange exchange, int status) {
        if (exchange instanceof SocketExchange socket) {
            socket.finishTaken(status);
        }
    }

    @Override
    public boolean abort(HttpExchange exchange) {
        if (exchange instanceof SocketExchange socket) {
            socket.abort();
            return true;
        }
        return false;
    }

    @Override
    public Optional<IntSupplier> connectionCount(HttpServer server) {
        return server instanceof SocketHttpServer socket ? Optional.of(socket::connectionCount) : Optional.empty();
    }
}

package io.authgateway.observability;

import com.sun.net.httpserver.HttpServer;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Open connection count of the JDK server, for {@code <ns>_tcp_connections}. The public
 * {@code HttpServer} API has no connection count, so this reads the server's internal
 * {@code allConnections} set; that needs {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}
 * (set by the launchers). Without it the metric is simply not offered.
 */
public final class ServerConnections {

    private ServerConnections() {
    }

    public static Optional<IntSupplier> counter(HttpServer server) {
        try {
            Field serverField = server.getClass().getDeclaredField("server");
            serverField.setAccessible(true);
            Object impl = serverField.get(server);
            Field connections = impl.getClass().getDeclaredField("allConnections");
            connections.setAccessible(true);
            Set<?> all = (Set<?>) connections.get(impl);
            return Optional.of(all::size);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

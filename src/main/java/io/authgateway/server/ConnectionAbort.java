package io.authgateway.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;

/**
 * Ends a response that can no longer be completed (the upstream broke off mid-body) by closing the
 * client's connection at once. Closing the exchange normally would write the final chunk of a
 * chunked answer and make a truncated answer look complete. {@code HttpExchange} has no abort, so
 * this reaches the connection's channel (needs {@code --add-opens jdk.httpserver/sun.net.httpserver}).
 */
final class ConnectionAbort {

    private ConnectionAbort() {
    }

    /** Returns false if the channel could not be reached (the caller then just closes the exchange). */
    static boolean abort(HttpExchange exchange) {
        try {
            Object impl = field(exchange, "impl");
            Object connection = field(impl, "connection");
            SocketChannel channel = (SocketChannel) field(connection, "chan");
            channel.close();
            return true;
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            return false;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Class<?> type = owner.getClass();
        while (type != null) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }
}

package io.authgateway.jdkserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.connection.ConnectionAccess;
import io.authgateway.connection.RawConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * {@link ConnectionAccess} for the JDK server ({@code -gateway.server=jdk}): the one place that
 * reaches into {@code sun.net.httpserver}, which needs the JVM option {@value #JVM_OPTION}; without
 * it {@link #load} returns {@link ConnectionAccess.Unavailable}, WebSocket upgrades answer 501 and
 * the write-stall limit is not enforced, but nothing else changes.
 *
 * <p>Fields used, present in the JDK server since JDK 6 and checked once at start-up:
 * {@code HttpExchangeImpl.impl}, {@code ExchangeImpl.ris/ros/close/connection},
 * {@code HttpConnection.chan}, and for the connection gauge {@code HttpServerImpl.server},
 * {@code ServerImpl.allConnections}.
 */
public final class JdkConnectionAccess implements ConnectionAccess {

    public static final String JVM_OPTION = "--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";

    /** Looks the internals up once; never throws. */
    public static ConnectionAccess load() {
        try {
            return new JdkConnectionAccess();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private final Class<?> exchangeClass;
    private final VarHandle impl;
    private final VarHandle rawIn;
    private final VarHandle rawOut;
    private final VarHandle closeAfter;
    private final VarHandle connection;
    private final VarHandle channel;

    private JdkConnectionAccess() throws ReflectiveOperationException {
        exchangeClass = Class.forName("sun.net.httpserver.HttpExchangeImpl");
        Class<?> exchangeImpl = Class.forName("sun.net.httpserver.ExchangeImpl");
        Class<?> httpConnection = Class.forName("sun.net.httpserver.HttpConnection");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandles.Lookup server = MethodHandles.privateLookupIn(exchangeImpl, lookup);
        impl = server.findVarHandle(exchangeClass, "impl", exchangeImpl);
        rawIn = server.findVarHandle(exchangeImpl, "ris", InputStream.class);
        rawOut = server.findVarHandle(exchangeImpl, "ros", OutputStream.class);
        closeAfter = server.findVarHandle(exchangeImpl, "close", boolean.class);
        connection = server.findVarHandle(exchangeImpl, "connection", httpConnection);
        channel = server.findVarHandle(httpConnection, "chan", SocketChannel.class);
    }

    @Override
    public Optional<RawConnection> take(HttpExchange exchange) {
        Object inner = inner(exchange);
        if (inner == null) {
            return Optional.empty();
        }
        return Optional.of(new RawConnection((InputStream) rawIn.get(inner), (OutputStream) rawOut.get(inner),
                (SocketChannel) channel.get(connection.get(inner))));
    }

    @Override
    public void finishTaken(HttpExchange exchange, int status) throws IOException {
        Object inner = inner(exchange);
        if (inner == null) {
            return;
        }
        // The status line and headers the JDK writes now go nowhere: the client already has the
        // upstream's answer. close=true makes the server drop the connection afterwards.
        closeAfter.set(inner, true);
        rawOut.set(inner, OutputStream.nullOutputStream());
        exchange.getResponseHeaders().clear();
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public boolean abort(HttpExchange exchange) {
        Object inner = inner(exchange);
        if (inner == null) {
            return false;
        }
        try {
            ((SocketChannel) channel.get(connection.get(inner))).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<IntSupplier> connectionCount(HttpServer server) {
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

    private Object inner(HttpExchange exchange) {
        return exchangeClass.isInstance(exchange) ? impl.get(exchange) : null;
    }
}

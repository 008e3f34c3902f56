package io.authgateway.socketserver;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.observability.Log;
import io.authgateway.proxy.DeadlineSweeper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * An HTTP/1.1 server behind the JDK's {@link HttpServer} API, over plain JDK sockets: one virtual
 * thread per connection runs blocking reads and writes, with no selector hand-off and no thread
 * per request (the JDK implementation's costs, see README "Performance"). Handlers and filters
 * written for the JDK server run unchanged. Chosen with {@code -gateway.server=socket}.
 */
public final class SocketHttpServer extends HttpServer {

    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ServerLimits limits;
    private final Log log;
    private final List<SocketHttpContext> contexts = new CopyOnWriteArrayList<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final HttpDate date = new HttpDate();
    private final DeadlineSweeper deadlines;
    private volatile Executor executor;
    private volatile boolean stopping;
    private Thread acceptor;

    private SocketHttpServer(ServerSocketChannel listener, ServerLimits limits, Log log) throws IOException {
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.limits = limits;
        this.log = log;
        this.slots = limits.connectionLimit() > 0 ? new Semaphore(limits.connectionLimit()) : null;
        Duration shortest = limits.readTimeout().compareTo(limits.idleTimeout()) < 0 ? limits.readTimeout() : limits.idleTimeout();
        this.deadlines = new DeadlineSweeper("http-deadlines", DeadlineSweeper.tickFor(shortest));
    }

    /** Binds now (so a port in use fails here, as {@link HttpServer#create} does); serves after {@link #start}. */
    public static SocketHttpServer bind(InetSocketAddress address, int backlog, ServerLimits limits, Log log)
            throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(address, backlog);
            return new SocketHttpServer(listener, limits, log);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    @Override
    public void bind(InetSocketAddress address, int backlog) {
        throw new UnsupportedOperationException("bound at creation: use SocketHttpServer.bind");
    }

    @Override
    public void start() {
        if (acceptor != null) {
            throw new IllegalStateException("server already started");
        }
        acceptor = Thread.ofPlatform().name("http-acceptor").daemon().start(this::acceptLoop);
    }

    private void acceptLoop() {
        long backoffMillis = 0;
        while (!stopping) {
            try {
                if (slots != null) {
                    slots.acquire();
                }
                SocketChannel channel;
                try {
                    channel = listener.accept();
                } catch (IOException | RuntimeException e) {
                    release();
                    throw e;
                }
                serve(channel);
                backoffMillis = 0;
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (stopping || !listener.isOpen()) {
                    return;
                }
                // e.g. out of file descriptors: retry with a growing pause (5 ms to 1 s, as Go's
                // http.Server) instead of spinning and flooding the log
                backoffMillis = Math.clamp(backoffMillis * 2, 5, 1000);
                log.warn("accepting a connection failed", "err", e.toString(), "retry_in_ms", backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        ClientConnection connection;
        try {
            connection = new ClientConnection(this, channel, limits, deadlines);
        } catch (IOException | RuntimeException e) {
            release();
            closeQuietly(channel);
            return;
        }
        connections.add(connection);
        Executor running = executor;
        try {
            if (running == null) {
                Thread.ofVirtual().name("http-connection").start(connection);
            } else {
                running.execute(connection);
            }
        } catch (RuntimeException e) {
            log.error("could not start a connection thread", "err", e.toString());
            connection.close();
            closed(connection);
        }
    }

    /** Called by a connection when it has closed. */
    void closed(ClientConnection connection) {
        if (connections.remove(connection)) {
            release();
        }
    }

    private void release() {
        if (slots != null) {
            slots.release();
        }
    }

    void rejected(InetSocketAddress client, int status, String reason) {
        log.info("request refused by the server", "status", status, "reason", reason,
                "ip_address", client.getAddress().getHostAddress());
    }

    boolean stopping() {
        return stopping;
    }

    String date() {
        return date.now();
    }

    /** The context with the longest path that prefixes {@code path}, or null. */
    HttpContext contextFor(String path) {
        SocketHttpContext best = null;
        for (SocketHttpContext context : contexts) {
            if (path != null && path.startsWith(context.getPath())
                    && (best == null || context.getPath().length() > best.getPath().length())) {
                best = context;
            }
        }
        return best;
    }

    /** Open client connections now. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes idle connections at once, lets exchanges in progress finish (their
     * answers say {@code Connection: close}) for up to {@code delaySeconds}, then closes the rest.
     */
    @Override
    public void stop(int delaySeconds) {
        stopping = true;
        closeQuietly(listener);
        if (acceptor != null) {
            acceptor.interrupt();
        }
        long deadline = System.nanoTime() + Math.max(0, delaySeconds) * 1_000_000_000L;
        while (true) {
            connections.stream().filter(ClientConnection::idle).forEach(ClientConnection::close);
            if (connections.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.forEach(ClientConnection::close);
        deadlines.close();
    }

    @Override
    public void setExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor getExecutor() {
        return executor;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("context path must start with /: " + path);
        }
        for (SocketHttpContext context : contexts) {
            if (context.getPath().equals(path)) {
                throw new IllegalArgumentException("context already exists: " + path);
            }
        }
        SocketHttpContext context = new SocketHttpContext(path, handler, this);
        contexts.add(context);
        return context;
    }

    @Override
    public HttpContext createContext(String path) {
        return createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        if (!contexts.removeIf(context -> context.getPath().equals(path))) {
            throw new IllegalArgumentException("no context " + path);
        }
    }

    @Override
    public void removeContext(HttpContext context) {
        if (!contexts.remove(context)) {
            throw new IllegalArgumentException("not a context of this server");
        }
    }

    @Override
    public InetSocketAddress getAddress() {
        return address;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing during shutdown or after a failure; nothing to recover
        }
    }
}

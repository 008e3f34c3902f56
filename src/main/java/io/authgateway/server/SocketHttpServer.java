package io.authgateway.server;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.codec.BufferPool;
import io.authgateway.codec.DeadlineSweeper;
import io.authgateway.codec.HttpDate;
import io.authgateway.config.GoDuration;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's HTTP/1.1 server behind the JDK's {@link HttpServer} API, over plain JDK sockets: one
 * virtual thread per connection runs blocking reads and writes, with no selector hand-off and no
 * thread per request. Created by {@link SocketServerProvider}; handlers see only the API.
 */
final class SocketHttpServer extends HttpServer {

    /** Output buffers are taken per answer, not per connection: thousands of idle connections hold none. */
    private static final int OUTPUT_BUFFER = 16 * 1024;

    private final ServerLimits limits;
    private final Optional<ServerTls> tls;
    private final Log log;
    private final AtomicInteger openConnections;
    private final List<SocketHttpContext> contexts = new CopyOnWriteArrayList<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final HttpDate date = new HttpDate();
    private final BufferPool outputBuffers = new BufferPool(OUTPUT_BUFFER, 256);
    private final DeadlineSweeper deadlines;
    private ServerSocketChannel listener;
    private InetSocketAddress address;
    private volatile Executor executor;
    private volatile boolean stopping;
    private Thread acceptor;

    SocketHttpServer(ServerLimits limits, Optional<ServerTls> tls, Log log, AtomicInteger openConnections) {
        this.limits = limits;
        this.tls = tls;
        this.log = log;
        this.openConnections = openConnections;
        this.slots = limits.connectionLimit() > 0 ? new Semaphore(limits.connectionLimit()) : null;
        this.deadlines = new DeadlineSweeper("http-deadlines", DeadlineSweeper.tickFor(limits.shortestTimeout()));
    }

    /** Binds now, so a port in use fails here, as with the JDK's server. */
    @Override
    public synchronized void bind(InetSocketAddress address, int backlog) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("server already bound");
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(address, backlog);
            this.address = (InetSocketAddress) channel.getLocalAddress();
            this.listener = channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public synchronized void start() {
        if (listener == null) {
            throw new IllegalStateException("server not bound");
        }
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
            connection = new ClientConnection(this, channel, tls);
        } catch (IOException | RuntimeException e) {
            release();
            closeQuietly(channel);
            return;
        }
        connections.add(connection);
        openConnections.incrementAndGet();
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
            openConnections.decrementAndGet();
            release();
        }
    }

    private void release() {
        if (slots != null) {
            slots.release();
        }
    }

    /** A request the server answered itself: one log line with the reason. */
    void refused(InetSocketAddress client, int status, String reason) {
        log.info("request refused by the server", "status", status, "reason", reason,
                "ip_address", client.getAddress().getHostAddress());
    }

    /** A TLS handshake that failed or timed out: one log line, as Go's "TLS handshake error". */
    void handshakeFailed(InetSocketAddress client, String reason) {
        log.info("TLS handshake failed", "err", reason, "ip_address", client.getAddress().getHostAddress());
    }

    /** A write to a client stalled past the write timeout; its connection is closed. */
    void writeStalled(InetSocketAddress client) {
        log.info("client write stalled, closing the connection", "limit", GoDuration.format(limits.writeTimeout()),
                "ip_address", client.getAddress().getHostAddress());
    }

    ServerLimits limits() {
        return limits;
    }

    DeadlineSweeper deadlines() {
        return deadlines;
    }

    BufferPool outputBuffers() {
        return outputBuffers;
    }

    boolean stopping() {
        return stopping;
    }

    String date() {
        return date.now();
    }

    /** The context with the longest path that prefixes {@code path}, or null. */
    SocketHttpContext contextFor(String path) {
        SocketHttpContext best = null;
        for (SocketHttpContext context : contexts) {
            boolean longer = best == null || context.getPath().length() > best.getPath().length();
            if (path.startsWith(context.getPath()) && longer) {
                best = context;
            }
        }
        return best;
    }

    /**
     * Stops accepting, closes idle connections at once, lets exchanges in progress finish (their
     * answers say {@code Connection: close}) for up to {@code delaySeconds}, then closes the rest.
     */
    @Override
    public void stop(int delaySeconds) {
        stopping = true;
        if (listener != null) {
            closeQuietly(listener);
        }
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

package io.authgateway.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle keep-alive connections per upstream address, most recently used first. A connection goes
 * back only after its response was read completely and cleanly; on the way out it must not have
 * idled too long and must not show EOF or stray bytes, so one tenant's answer can never be read
 * by another request.
 */
final class ConnectionPool implements AutoCloseable {

    private final Map<UpstreamAddress, Idle> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerAddress;
    private final long maxIdleNanos;
    private volatile boolean closed;

    ConnectionPool(int maxIdlePerAddress, Duration maxIdleTime) {
        this.maxIdlePerAddress = maxIdlePerAddress;
        this.maxIdleNanos = maxIdleTime.toNanos();
    }

    private static final class Idle {
        final ConcurrentLinkedDeque<UpstreamConnection> connections = new ConcurrentLinkedDeque<>();
        final AtomicInteger size = new AtomicInteger();
    }

    /** A pooled connection that still looks usable, or null. */
    UpstreamConnection borrow(UpstreamAddress address) {
        Idle pool = idle.get(address);
        if (pool == null) {
            return null;
        }
        long now = System.nanoTime();
        for (UpstreamConnection connection; (connection = pool.connections.pollFirst()) != null; ) {
            pool.size.decrementAndGet();
            if (now - connection.idleSince() < maxIdleNanos && connection.looksReusable()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /** Returns a connection whose exchange ended cleanly; closes it when the pool is full or closed. */
    void release(UpstreamAddress address, UpstreamConnection connection) {
        Idle pool = idle.computeIfAbsent(address, a -> new Idle());
        if (closed || pool.size.incrementAndGet() > maxIdlePerAddress) {
            pool.size.decrementAndGet();
            connection.close();
            return;
        }
        connection.markIdle(System.nanoTime());
        pool.connections.offerFirst(connection);
    }


    @Override
    public void close() {
        closed = true;
        idle.values().forEach(pool -> {
            for (UpstreamConnection connection; (connection = pool.connections.pollFirst()) != null; ) {
                connection.close();
            }
        });
    }
}

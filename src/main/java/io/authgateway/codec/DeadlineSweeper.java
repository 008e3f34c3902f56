package io.authgateway.codec;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read deadlines for blocking sockets without timed reads. A socket timeout turns every read that
 * has to wait into a timed park of its virtual thread (three per proxied request), the largest cost
 * of the request path after the socket writes themselves (docs/performance.md). Instead each
 * connection holds one {@link Deadline}, arms and disarms it with a volatile write, and one sweeper
 * thread runs the expiry action (closing the socket, which fails the blocked read) of every
 * deadline that has passed. Deadlines are therefore precise to one tick.
 */
public final class DeadlineSweeper implements AutoCloseable {

    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();
    private final long tickMillis;
    private final Thread sweeper;
    private volatile long failures;

    /** @param tick how often deadlines are checked: their precision */
    public DeadlineSweeper(String name, Duration tick) {
        this.tickMillis = Math.max(1, tick.toMillis());
        this.sweeper = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** A tick for timeouts of {@code shortest} and up: a tenth of it, between 10 ms and 1 s. */
    public static Duration tickFor(Duration shortest) {
        return Duration.ofMillis(Math.clamp(shortest.toMillis() / 10, 10, 1000));
    }

    /** A deadline, disarmed, that runs {@code onExpiry} when it passes while armed. */
    public Deadline register(Runnable onExpiry) {
        Deadline deadline = new Deadline(onExpiry);
        deadlines.add(deadline);
        return deadline;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            sweep(System.nanoTime());
        }
    }

    void sweep(long now) {
        for (Deadline deadline : deadlines) {
            long at = deadline.at;
            if (at != 0 && now - at >= 0) {
                deadline.at = 0;
                deadline.expired = true;
                try {
                    deadline.onExpiry.run();
                } catch (RuntimeException e) {
                    // one failing action must not stop the sweeper: every other deadline depends on it
                    failures++;
                }
            }
        }
    }

    int registered() {
        return deadlines.size();
    }

    /** Expiry actions that threw (and were skipped). */
    long failures() {
        return failures;
    }

    @Override
    public void close() {
        sweeper.interrupt();
    }

    /** One connection's deadline; arm and disarm are plain volatile writes. */
    public final class Deadline {
        private final Runnable onExpiry;
        private volatile long at;
        private volatile boolean expired;

        private Deadline(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        /** Expires {@code timeout} from now (non-positive: disarms). */
        public void arm(Duration timeout) {
            armNanos(timeout.toNanos());
        }

        public void armNanos(long timeoutNanos) {
            if (timeoutNanos <= 0) {
                at = 0;
                return;
            }
            long when = System.nanoTime() + timeoutNanos;
            at = when == 0 ? 1 : when;
        }

        public void disarm() {
            at = 0;
        }

        /** Whether it has expired since it was registered. */
        public boolean expired() {
            return expired;
        }

        /** Stops watching (the connection closed). */
        public void cancel() {
            at = 0;
            deadlines.remove(this);
        }
    }
}

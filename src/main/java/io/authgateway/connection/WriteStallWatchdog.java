package io.authgateway.connection;

import io.authgateway.config.GoDuration;
import io.authgateway.observability.Log;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Enforces {@code -server.http-write-timeout} as a stall limit: a write (or flush) to a client that
 * has not completed within the limit runs the guard's abort action, which closes the connection. A
 * response that keeps flowing is never cut, however long it lasts, and an idle stream (nothing to
 * write) is never cut either. One checker thread looks at every open guard a few times per limit.
 */
public final class WriteStallWatchdog implements AutoCloseable {

    private final long limitNanos;
    private final Duration limit;
    private final LongSupplier nanoClock;
    private final Log log;
    private final Set<Guard> guards = ConcurrentHashMap.newKeySet();
    private final Thread checker;

    WriteStallWatchdog(Duration limit, LongSupplier nanoClock, Log log, boolean startChecker) {
        this.limit = limit;
        this.limitNanos = limit.toNanos();
        this.nanoClock = nanoClock;
        this.log = log;
        this.checker = startChecker ? Thread.ofPlatform().daemon().name("write-stall-watchdog").start(this::run) : null;
    }

    public static WriteStallWatchdog start(Duration limit, Log log) {
        return new WriteStallWatchdog(limit, System::nanoTime, log, true);
    }

    /** Starts watching writes for one connection; close the guard when the exchange ends. */
    public Guard guard(String what, Runnable abort) {
        Guard guard = new Guard(what, abort);
        guards.add(guard);
        return guard;
    }

    public int watched() {
        return guards.size();
    }

    private void run() {
        long tickMillis = Math.clamp(limit.toMillis() / 4, 50, 1000);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    /** Aborts every guard whose current write started more than the limit ago. */
    void check() {
        long now = nanoClock.getAsLong();
        for (Guard guard : guards) {
            long since = guard.writingSince;
            if (since != 0 && now - since > limitNanos && guard.fire()) {
                log.info("client write stalled, closing the connection", "limit", GoDuration.format(limit), "what", guard.what);
                try {
                    guard.abort.run();
                } catch (RuntimeException e) {
                    log.error("could not abort a stalled write", "what", guard.what, "err", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.interrupt();
        }
        guards.clear();
    }

    /** Marks writes of one connection; {@link #wrap} does it for a stream. */
    public final class Guard implements AutoCloseable {

        private final String what;
        private final Runnable abort;
        private volatile long writingSince;
        private volatile boolean fired;

        private Guard(String what, Runnable abort) {
            this.what = what;
            this.abort = abort;
        }

        public OutputStream wrap(OutputStream out) {
            return new GuardedOutputStream(out, this);
        }

        void begin() {
            long now = nanoClock.getAsLong();
            writingSince = now == 0 ? 1 : now;
        }

        void end() {
            writingSince = 0;
        }

        /** True once the limit was hit, so the connection was (or is being) closed. */
        public boolean fired() {
            return fired;
        }

        private synchronized boolean fire() {
            if (fired) {
                return false;
            }
            fired = true;
            return true;
        }

        @Override
        public void close() {
            guards.remove(this);
        }
    }

    private static final class GuardedOutputStream extends FilterOutputStream {

        private final Guard guard;

        GuardedOutputStream(OutputStream out, Guard guard) {
            super(out);
            this.guard = guard;
        }

        @Override
        public void write(int b) throws IOException {
            guard.begin();
            try {
                out.write(b);
            } finally {
                guard.end();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            guard.begin();
            try {
                out.write(b, off, len);
            } finally {
                guard.end();
            }
        }

        @Override
        public void flush() throws IOException {
            guard.begin();
            try {
                out.flush();
            } finally {
                guard.end();
            }
        }

        @Override
        public void close() throws IOException {
            guard.begin();
            try {
                out.close();
            } finally {
                guard.end();
            }
        }
    }
}

package io.authgateway.observability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log ({@code -gateway.audit-log}): request threads hand finished {@link AuditRecord}s to
 * a bounded queue and never wait; one writer thread turns them into JSON lines and writes them in
 * batches of whole lines. A full queue drops the record and counts it
 * ({@code cortex_gateway_audit_dropped_total}); a failed write (a full disk, a write error) is
 * counted per line ({@code cortex_gateway_audit_write_failures_total}) and logged at most every
 * {@link #ERROR_LOG_INTERVAL}. Neither ever stops traffic.
 */
public final class AuditLog implements AutoCloseable {

    /** Records waiting to be written, at most: about 2 MiB of memory when full. */
    public static final int QUEUE_CAPACITY = 8192;
    static final Duration ERROR_LOG_INTERVAL = Duration.ofSeconds(10);
    /** How often the path is checked for a move or a truncation: well within the promised second. */
    static final Duration ROTATION_CHECK = Duration.ofMillis(250);
    private static final int BATCH = 512;
    /**
     * After a write that did not fill a batch, the writer lets lines gather this long: one write
     * (and one wake-up) per interval instead of one per request, which under load cost about a
     * tenth of the requests/s (benchmarks/load.sh, docs/accountability.md#figures).
     */
    private static final Duration GATHER = Duration.ofMillis(20);
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(2);

    private final BlockingQueue<AuditRecord> queue;
    private final AuditFile file;
    private final Log log;
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private volatile boolean closing;
    private long lastErrorLogged = Long.MIN_VALUE;
    private long failuresSinceLogged;

    private AuditLog(AuditFile file, int capacity, Log log) {
        this.file = file;
        this.log = log;
        this.queue = file == null ? null : new ArrayBlockingQueue<>(capacity);
        this.writer = file == null ? null : Thread.ofPlatform().daemon().name("audit-writer").unstarted(this::run);
    }

    /** No audit log: {@link #record} does nothing. */
    public static AuditLog off() {
        return new AuditLog(null, 0, null);
    }

    /** Starts the writer; {@code path} empty means standard output. The file is opened by the writer thread. */
    public static AuditLog start(Optional<Path> path, int capacity, Log log) {
        AuditLog audit = new AuditLog(path.map(AuditFile::at).orElseGet(AuditFile::stdout), capacity, log);
        audit.writer.start();
        log.info("audit log on", "target", audit.file.describe());
        return audit;
    }

    public boolean enabled() {
        return file != null;
    }

    /** Queues one record; never blocks. */
    public void record(AuditRecord record) {
        if (file == null || closing || !queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long writeFailures() {
        return writeFailures.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        AuditLines json = new AuditLines();
        long nextCheck = System.nanoTime();
        while (!closing || !queue.isEmpty()) {
            AuditRecord first;
            try {
                first = queue.poll(ROTATION_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break; // only close() interrupts, when a write has blocked too long
            }
            if (System.nanoTime() - nextCheck >= 0) {
                checkRotation();
                nextCheck = System.nanoTime() + ROTATION_CHECK.toNanos();
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            write(batch, json);
            boolean full = batch.size() == BATCH;
            batch.clear();
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (!full && !closing) {
                try {
                    Thread.sleep(GATHER);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        file.close();
    }

    private void checkRotation() {
        String what = file.checkRotation();
        if (what != null) {
            log.info("audit log reopened", "path", file.describe(), "because", what);
        }
    }

    private void write(List<AuditRecord> batch, AuditLines json) {
        json.clear();
        batch.forEach(json::append);
        try {
            file.write(json.lines());
            written.addAndGet(batch.size());
        } catch (IOException | RuntimeException e) {
            writeFailures.addAndGet(batch.size());
            file.reset();
            failed(batch.size(), e);
        }
    }

    /** Logs a write failure, at most once per {@link #ERROR_LOG_INTERVAL}, with the lines lost since the last log. */
    private void failed(int lines, Exception e) {
        failuresSinceLogged += lines;
        long now = System.nanoTime();
        if (lastErrorLogged != Long.MIN_VALUE && now - lastErrorLogged < ERROR_LOG_INTERVAL.toNanos()) {
            return;
        }
        log.error("audit log write failed, lines lost", "path", file.describe(), "err", Log.describe(e),
                "lines_lost", failuresSinceLogged, "next_report_after", ERROR_LOG_INTERVAL.toSeconds() + "s");
        lastErrorLogged = now;
        failuresSinceLogged = 0;
    }

    /**
     * Stops taking records, writes what is queued (for at most two seconds: a reader that never
     * reads cannot hold up a shutdown), then closes the file.
     */
    @Override
    public void close() {
        if (file == null) {
            return;
        }
        closing = true;
        try {
            writer.join(DRAIN_ON_CLOSE);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(DRAIN_ON_CLOSE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("audit writer did not finish, lines still queued are lost", "queued", queue.size());
        }
    }
}

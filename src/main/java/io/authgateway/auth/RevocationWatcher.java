package io.authgateway.auth;

import io.authgateway.config.AuthFlags;
import io.authgateway.config.PolledFile;
import io.authgateway.config.RevokedTokensFile;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The revoked tokens of {@code -gateway.auth.revoked-tokens-file}, polled like the secret file
 * ({@link PolledFile#POLL_INTERVAL}): the file is read again when its size, modification
 * time or identity (a Kubernetes volume's symlink swap) changed, parsed off the request path and
 * swapped in whole, so a reload of 100,000 entries never makes a request wait. A file that cannot
 * be read or holds a bad entry keeps the last list in force, and every failed re-read is logged
 * and counted ({@code cortex_gateway_revocation_reload_failures_total}).
 */
public final class RevocationWatcher implements RevocationSource {

    private record Stamp(Object fileKey, long size, long modifiedNanos) {
    }

    private final Path file;
    private final Log log;
    private final AtomicLong reloadFailures = new AtomicLong();
    private volatile RevokedTokens current = RevokedTokens.NONE;
    private Stamp lastStamp;
    private boolean loaded;

    /** Reads the file once now; the caller has already checked that it is readable and well formed. */
    public RevocationWatcher(Path file, Log log) {
        this.file = file;
        this.log = log;
        reload();
    }

    public void start(ScheduledExecutorService scheduler) {
        long every = PolledFile.POLL_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public RevokedTokens current() {
        return current;
    }

    /** Failed re-reads since start-up. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    /** Re-reads the file when it changed; swaps the new list in when every entry is good. */
    synchronized void reload() {
        String content;
        Stamp stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            if (stamp.equals(lastStamp)) {
                return;
            }
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            failed("cannot read the file (" + Log.describe(e) + ")");
            return;
        }
        RevokedTokensFile.Parsed parsed = RevokedTokensFile.parse(content);
        if (!parsed.problems().isEmpty()) {
            failed(String.join("; ", parsed.problems()));
            return;
        }
        current = RevokedTokens.of(parsed.jtis(), parsed.sha256Hex());
        lastStamp = stamp;
        log.info(loaded ? "revoked tokens reloaded" : "revoked tokens loaded", "path", file, "entries", current.size());
        loaded = true;
    }

    private void failed(String problem) {
        reloadFailures.incrementAndGet();
        // A file that is fixed (or comes back) must be read again even if it looks as before.
        lastStamp = null;
        log.error("-" + AuthFlags.REVOKED_TOKENS_FILE + " unusable, keeping the last list of revoked tokens",
                "path", file, "err", Objects.toString(problem), "entries_in_use", current.size());
    }
}

package io.authgateway.tls;

import io.authgateway.observability.Log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-reads one side's certificate, key and CA files and swaps what changed into the managers the
 * side's TLS context was made with. Polled, not watched, as the JWT secret file is (a Kubernetes
 * secret volume swaps a symlink). A new pair or bundle that does not load keeps the old one in use,
 * logs one error per new content and counts one reload failure; established connections are never
 * touched. Runs on the caller's schedule ({@link TlsContext} polls every {@link #POLL_INTERVAL}).
 */
public final class TlsReloader {

    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    /** What a manager is loaded from, and the file content it was last tried with. */
    private static final class Source {
        private final Path[] files;
        private byte[][] tried;

        Source(Path... files) {
            this.files = files;
        }

        /** The files' content if it differs from the last try, else null; a read failure counts as content. */
        byte[][] changed() throws TlsMaterialException {
            byte[][] now = new byte[files.length][];
            for (int i = 0; i < files.length; i++) {
                now[i] = CertifiedKey.read(files[i], i == 0 ? TlsMaterialException.Part.CERTIFICATE
                        : TlsMaterialException.Part.KEY);
            }
            if (tried != null && Arrays.deepEquals(now, tried)) {
                return null;
            }
            tried = now;
            return now;
        }
    }

    private final String side;
    private final Log log;
    private final Optional<ReloadingKeyManager> keys;
    private final Optional<ReloadingTrustManager> authorities;
    private final Source pairFiles;
    private final Source caFile;
    private final AtomicLong failures = new AtomicLong();
    private final Runnable afterCaReload;
    private String lastProblem;

    /** @param afterCaReload runs after a new CA bundle is in use (sessions made before must not be resumed) */
    TlsReloader(String side, Log log, Optional<KeyFiles> pair, Optional<ReloadingKeyManager> keys,
                Optional<Path> ca, Optional<ReloadingTrustManager> authorities, Runnable afterCaReload) {
        this.side = side;
        this.log = log;
        this.afterCaReload = afterCaReload;
        this.keys = keys;
        this.authorities = authorities;
        this.pairFiles = pair.map(files -> new Source(files.certificate(), files.key())).orElse(null);
        this.caFile = ca.map(Source::new).orElse(null);
        try {
            if (pairFiles != null) {
                pairFiles.changed();
            }
            if (caFile != null) {
                caFile.changed();
            }
        } catch (TlsMaterialException e) {
            // loaded a moment ago by the caller; a change since is picked up at the next poll
        }
    }

    /** A certificate file and its key file. */
    public record KeyFiles(Path certificate, Path key) {
    }

    /**
     * Checks the files once; safe to call from one thread at a time. Never throws: a scheduled
     * task that throws is silently never run again, which would end reloading for good.
     */
    public synchronized void poll() {
        try {
            reload();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            log.error("TLS reload failed unexpectedly, keeping the certificates in use", "side", side, "err", e.toString());
        }
    }

    /** A sweep of cached client sessions that failed: logged, counted as a reload failure. */
    void sweepFailed(RuntimeException e) {
        failures.incrementAndGet();
        log.error("TLS session sweep failed", "side", side, "err", e.toString());
    }

    private void reload() {
        try {
            if (pairFiles != null && keys.isPresent() && pairFiles.changed() != null) {
                CertifiedKey next = CertifiedKey.load(pairFiles.files[0], pairFiles.files[1]);
                keys.get().replace(next);
                log.info("TLS certificate reloaded", "side", side, "path", pairFiles.files[0],
                        "subject", next.chain().getFirst().getSubjectX500Principal().getName(),
                        "not_after", next.notAfter().toString());
            }
        } catch (TlsMaterialException e) {
            failed(e);
            return;
        }
        try {
            if (caFile != null && authorities.isPresent() && caFile.changed() != null) {
                authorities.get().replace(CaBundle.load(caFile.files[0]));
                afterCaReload.run();
                log.info("TLS CA bundle reloaded", "side", side, "path", caFile.files[0]);
            }
            lastProblem = null;
        } catch (TlsMaterialException e) {
            failed(e);
        }
    }

    private void failed(TlsMaterialException e) {
        failures.incrementAndGet();
        if (!e.getMessage().equals(lastProblem)) {
            log.error("TLS reload failed, keeping the certificates in use", "side", side, "err", e.getMessage());
        }
        lastProblem = e.getMessage();
    }

    /** Reloads that failed so far ({@code cortex_gateway_tls_reload_failures_total}). */
    public long failures() {
        return failures.get();
    }

    /** The served certificate's {@code notAfter} in seconds since the epoch, NaN without a certificate. */
    public double expirySeconds() {
        return keys.map(manager -> (double) manager.current().notAfter().getEpochSecond()).orElse(Double.NaN);
    }

    public String side() {
        return side;
    }
}

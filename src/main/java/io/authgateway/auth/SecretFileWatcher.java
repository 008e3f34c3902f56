package io.authgateway.auth;

import io.authgateway.config.SecretFile;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HMAC secrets of {@code -gateway.auth.jwt-secret-file} (plus any given directly), re-read
 * while the gateway runs. The file is polled rather than watched: polling also sees a Kubernetes
 * secret volume's symlink swap, and reading a few lines every {@link #POLL_INTERVAL} is cheap. A
 * file that becomes unreadable or holds no secret keeps the last good secrets, logs one error
 * per new problem and counts every failed poll ({@code cortex_gateway_secret_reload_failures_total}).
 */
public final class SecretFileWatcher implements HmacKeySource {

    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final List<String> directSecrets;
    private final Log log;
    private final AtomicLong reloadFailures = new AtomicLong();
    private volatile HmacKeys keys;
    private String lastContent;
    private String lastProblem;
    private boolean loaded;

    /** Reads the file once now; the caller has already checked that it is readable. */
    public SecretFileWatcher(Path file, List<String> directSecrets, Log log) {
        this.file = file;
        this.directSecrets = List.copyOf(directSecrets);
        this.log = log;
        this.keys = HmacKeys.of(directSecrets);
        reload();
    }

    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::reload, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public HmacKeys current() {
        return keys;
    }

    /** Re-reads the file and swaps the secrets in when it changed and holds at least one. */
    synchronized void reload() {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            problem("cannot read the file (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (content.equals(lastContent)) {
            return;
        }
        List<String> fromFile = SecretFile.parse(content);
        if (fromFile.isEmpty()) {
            problem("the file holds no secret");
            return;
        }
        List<String> all = new ArrayList<>(directSecrets);
        all.addAll(fromFile);
        keys = HmacKeys.of(all);
        lastContent = content;
        lastProblem = null;
        log.info(loaded ? "JWT secret file reloaded" : "JWT secret file loaded", "path", file, "secrets", fromFile.size());
        loaded = true;
    }

    /** Polls that found the file unreadable or without a secret. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    private void problem(String problem) {
        reloadFailures.incrementAndGet();
        if (!problem.equals(lastProblem)) {
            log.error("JWT secret file unusable, keeping the last good secrets", "path", file, "err", problem,
                    "secrets_in_use", keys.size());
        }
        lastProblem = problem;
        lastContent = null;
    }
}

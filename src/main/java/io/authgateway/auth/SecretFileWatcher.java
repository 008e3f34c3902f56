package io.authgateway.auth;

import io.authgateway.config.PolledFile;
import io.authgateway.config.SecretFile;
import io.authgateway.observability.Log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HMAC secrets of {@code -gateway.auth.jwt-secret-file} (plus any given directly), re-read
 * while the gateway runs. The file is polled rather than watched: polling also sees a Kubernetes
 * secret volume's symlink swap, and reading a few lines every {@link PolledFile#POLL_INTERVAL} is cheap. A
 * file that becomes unreadable or holds no secret keeps the last good secrets, logs one error
 * per new problem and counts every failed poll ({@code cortex_gateway_secret_reload_failures_total}).
 */
public final class SecretFileWatcher implements HmacKeySource {

    private final PolledFile file;
    private final List<String> directSecrets;
    private final Log log;
    private volatile HmacKeys keys;
    private boolean loaded;

    /** Reads the file once now; the caller has already checked that it is readable. */
    public SecretFileWatcher(Path file, List<String> directSecrets, Log log) {
        this.file = new PolledFile(file, log, "JWT secret file unusable, keeping the last good secrets",
                () -> List.of("secrets_in_use", keys.size()));
        this.directSecrets = List.copyOf(directSecrets);
        this.log = log;
        this.keys = HmacKeys.of(directSecrets);
        reload();
    }

    public void start(ScheduledExecutorService scheduler) {
        long every = PolledFile.POLL_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public HmacKeys current() {
        return keys;
    }

    /** Re-reads the file and swaps the secrets in when it changed and holds at least one. */
    synchronized void reload() {
        String content = file.changedContent();
        if (content == null) {
            return;
        }
        List<String> fromFile = SecretFile.parse(content);
        if (fromFile.isEmpty()) {
            file.failed("the file holds no secret");
            return;
        }
        List<String> all = new ArrayList<>(directSecrets);
        all.addAll(fromFile);
        keys = HmacKeys.of(all);
        file.accepted(content);
        log.info(loaded ? "JWT secret file reloaded" : "JWT secret file loaded", "path", file.path(), "secrets", fromFile.size());
        loaded = true;
    }

    /** Polls that found the file unreadable or without a secret. */
    public long reloadFailures() {
        return file.failures();
    }
}

package io.authgateway.limits;

import io.authgateway.config.LimitOverrides;
import io.authgateway.config.PolledFile;
import io.authgateway.config.TenantLimits;
import io.authgateway.observability.Log;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The limits of {@code -gateway.limits.overrides-file}, re-read while the gateway runs. Polled like
 * the JWT secret file (a Kubernetes ConfigMap volume swaps a symlink, which polling sees): every
 * {@link PolledFile#POLL_INTERVAL}, so a change is in force within 10 s. A file that cannot be read or
 * parsed keeps the last good overrides, logs one error per new problem and counts every failed
 * reload ({@code cortex_gateway_limits_overrides_reload_failures_total}).
 */
final class OverridesWatcher implements Supplier<LimitTable> {

    private final PolledFile file;
    private final TenantLimits defaults;
    private final Log log;
    private volatile LimitTable table;

    /** @param initial the overrides as read at start-up (the file was valid then) */
    OverridesWatcher(Path file, TenantLimits defaults, Map<String, TenantLimits> initial, Log log) {
        this.defaults = defaults;
        this.log = log;
        this.table = new LimitTable(defaults, initial);
        // No content accepted yet: the first poll parses the file again, so a change made between the
        // start-up read and now is not missed (and an unchanged file swaps in nothing, silently).
        this.file = new PolledFile(file, log, "limits overrides file unusable, keeping the last good overrides",
                () -> List.of("tenants_in_use", table.overrides().size()));
    }

    void start(ScheduledExecutorService scheduler) {
        long every = PolledFile.POLL_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public LimitTable get() {
        return table;
    }

    /** Re-reads the file and swaps the overrides in when it changed and is valid. */
    synchronized void reload() {
        String content = file.changedContent();
        if (content == null) {
            return;
        }
        Map<String, TenantLimits> overrides;
        try {
            overrides = LimitOverrides.parse(content, defaults);
        } catch (LimitOverrides.InvalidOverrides e) {
            file.failed(e.getMessage());
            return;
        }
        file.accepted(content);
        if (!overrides.equals(table.overrides())) {
            table = new LimitTable(defaults, overrides);
            log.info("limits overrides reloaded", "path", file.path(), "tenants", overrides.size());
        }
    }

    long failures() {
        return file.failures();
    }
}

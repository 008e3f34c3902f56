package io.authgateway.limits;

import io.authgateway.config.GoDuration;
import io.authgateway.config.LimitSettings;
import io.authgateway.observability.GatewayMetrics;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Per-tenant limits as configured, running: the {@link TenantLimiter}, the store it counts in
 * (local, or Redis guarded by the fail-open/fail-closed rule), the overrides watcher and one
 * daemon scheduler thread that polls the file and forgets idle buckets. Created once by the
 * gateway; {@link #close} stops the background work and the Redis pool.
 */
public final class Limits implements AutoCloseable {

    private final TenantLimiter limiter;
    private final RateStore store;
    private final InflightCounts inflight;
    private final LogThrottle refusalLog;
    private final Optional<OverridesWatcher> watcher;
    private final ScheduledExecutorService scheduler;

    private Limits(TenantLimiter limiter, RateStore store, InflightCounts inflight, LogThrottle refusalLog,
                   Optional<OverridesWatcher> watcher, ScheduledExecutorService scheduler) {
        this.limiter = limiter;
        this.store = store;
        this.inflight = inflight;
        this.refusalLog = refusalLog;
        this.watcher = watcher;
        this.scheduler = scheduler;
    }

    /** @throws IOException when the Redis password file cannot be read */
    public static Limits start(LimitSettings settings, Log log) throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("limits").factory());
        LocalRateStore local = new LocalRateStore(System::nanoTime);
        LogThrottle refusalLog = new LogThrottle(Duration.ofSeconds(10), System::nanoTime);
        scheduler.scheduleWithFixedDelay(() -> {
            local.sweep();
            refusalLog.sweep();
        }, 10, 10, TimeUnit.SECONDS);
        RateStore store = local;
        LimitSettings.Store storeSettings = settings.store();
        if (storeSettings.kind() == LimitSettings.Store.Kind.REDIS) {
            Optional<String> password = Optional.empty();
            if (storeSettings.passwordFile().isPresent()) {
                password = Optional.of(Files.readString(storeSettings.passwordFile().get(), StandardCharsets.UTF_8).strip());
            }
            store = new GuardedRateStore(new RedisRateStore(storeSettings.redisAddress(), password, storeSettings.timeout()),
                    local, storeSettings.failOpen(), storeSettings.replicasHint(), System::nanoTime, log);
            log.info("limits shared through redis", "address", storeSettings.redisAddress(),
                    "timeout", GoDuration.format(storeSettings.timeout()), "fail_open", storeSettings.failOpen(),
                    "replicas_hint", storeSettings.replicasHint());
        }
        Optional<OverridesWatcher> watcher = settings.overridesFile().map(file ->
                new OverridesWatcher(file, settings.defaults(), settings.overrides(), log));
        watcher.ifPresent(w -> w.start(scheduler));
        LimitTable fixed = new LimitTable(settings.defaults(), settings.overrides());
        Supplier<LimitTable> table = watcher.<Supplier<LimitTable>>map(w -> w).orElse(() -> fixed);
        InflightCounts inflight = new InflightCounts();
        TenantLimiter limiter = new TenantLimiter(table, store, inflight, new RetryAfter(ThreadLocalRandom::current), log);
        return new Limits(limiter, store, inflight, refusalLog, watcher, scheduler);
    }

    public TenantLimiter limiter() {
        return limiter;
    }

    /** Whether to log this refusal of the tenant, and how many went unlogged before it (-1: do not log). */
    public long refusalToLog(String tenant) {
        return refusalLog.admit(tenant);
    }

    /** The in-flight gauges by class, the store error and overrides reload failure counters. */
    public void bind(GatewayMetrics metrics) {
        for (LimitClass limitClass : LimitClass.values()) {
            metrics.gauge("cortex_gateway_inflight_requests", "Requests in flight by limit class (write, read).",
                    inflight, counts -> counts.inflight(limitClass), "class", limitClass.label());
        }
        metrics.functionCounter("cortex_gateway_limits_store_errors", "Calls to the shared limits store (Redis) that failed",
                store, s -> s instanceof GuardedRateStore guarded ? guarded.errors() : 0);
        metrics.functionCounter("cortex_gateway_limits_overrides_reload_failures",
                "Reloads of -gateway.limits.overrides-file that failed (the last good overrides stay)",
                watcher, w -> w.map(OverridesWatcher::failures).orElse(0L));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        store.close();
    }
}

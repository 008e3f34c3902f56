package io.authgateway.auth;

import io.authgateway.config.JwksSettings;
import io.authgateway.observability.Log;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JWKS keys in force, kept fresh in the background. Unlike the Go fork, start-up never waits:
 * the first fetch runs on the scheduler and is retried with exponential backoff (1 s doubling to
 * 60 s) until it succeeds; until then {@link #lookup} answers {@link Lookup.NotLoaded}. A failed
 * refresh keeps the last good keys. A token naming an unknown {@code kid} may trigger one
 * immediate refetch, at most once per {@link #REFETCH_SPACING}, so rotated keys are picked up
 * without letting random kids hammer the endpoint.
 */
public final class JwksKeySet implements KeyFetchCounters {

    public static final Duration REFETCH_SPACING = Duration.ofSeconds(30);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** The answer for one {@code kid}. */
    public sealed interface Lookup {
        record Found(JwksKey key) implements Lookup {
        }

        record NotLoaded() implements Lookup {
        }

        record Unknown() implements Lookup {
        }
    }

    private final JwksClient client;
    private final JwksSettings settings;
    private final Clock clock;
    private final Log log;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong refetches = new AtomicLong();
    private final AtomicLong lastRefetchMillis = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile Map<String, JwksKey> keys;

    public JwksKeySet(JwksClient client, JwksSettings settings, Clock clock, Log log) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
    }

    /** Schedules the first fetch now; returns at once. */
    public void start(ScheduledExecutorService scheduler) {
        scheduler.execute(() -> fetchAndReschedule(scheduler, FIRST_BACKOFF));
    }

    /** The key for {@code kid} from the keys in force, without fetching. */
    public Lookup lookup(String kid) {
        Map<String, JwksKey> current = keys;
        if (current == null) {
            return new Lookup.NotLoaded();
        }
        JwksKey key = current.get(kid);
        return key == null ? new Lookup.Unknown() : new Lookup.Found(key);
    }

    /** Like {@link #lookup}, but an unknown kid triggers one refetch when none ran in the last 30 s. */
    public Lookup lookupOrRefetch(String kid) {
        Lookup first = lookup(kid);
        if (!(first instanceof Lookup.Unknown)) {
            return first;
        }
        long now = clock.millis();
        long last = lastRefetchMillis.get();
        if (now - last < REFETCH_SPACING.toMillis() || !lastRefetchMillis.compareAndSet(last, now)) {
            return first;
        }
        refetches.incrementAndGet();
        log.info("token names an unknown JWKS key, refetching", "kid", Base64Json.sanitize(kid), "url", client.url());
        fetchOnce("Refreshing JWKS failed");
        return lookup(kid);
    }

    private void fetchAndReschedule(ScheduledExecutorService scheduler, Duration backoff) {
        boolean loadedBefore = keys != null;
        boolean ok = fetchOnce(loadedBefore ? "Refreshing JWKS failed" : "Create JWKS from url failed");
        Duration next;
        Duration nextBackoff = FIRST_BACKOFF;
        if (ok) {
            if (!settings.refreshEnabled()) {
                return;
            }
            next = settings.refreshInterval();
        } else {
            Duration cap = settings.refreshEnabled() && settings.refreshInterval().compareTo(MAX_BACKOFF) < 0
                    ? settings.refreshInterval() : MAX_BACKOFF;
            next = backoff.compareTo(cap) < 0 ? backoff : cap;
            nextBackoff = next.multipliedBy(2);
            log.info("next JWKS fetch scheduled", "in", next.toMillis() + "ms");
        }
        if (!scheduler.isShutdown()) {
            Duration following = nextBackoff;
            scheduler.schedule(() -> fetchAndReschedule(scheduler, following), next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One fetch; on success the keys are replaced, on failure the last good keys stay. */
    boolean fetchOnce(String failureMessage) {
        fetchLock.lock();
        try {
            fetches.incrementAndGet();
            Map<String, JwksKey> fetched = client.fetch();
            boolean first = keys == null;
            keys = fetched;
            log.info(first ? "JWKS loaded" : "JWKS refreshed", "url", client.url(), "keys", fetched.size());
            return true;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            log.error(failureMessage, "url", client.url(), "err", Log.describe(e),
                    "keeping_keys", keys == null ? 0 : keys.size());
            return false;
        } catch (InterruptedException e) {
            failures.incrementAndGet();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            fetchLock.unlock();
        }
    }

    @Override
    public long fetches() {
        return fetches.get();
    }

    @Override
    public long fetchFailures() {
        return failures.get();
    }

    @Override
    public long unknownKidRefetches() {
        return refetches.get();
    }

    @Override
    public int keys() {
        Map<String, JwksKey> current = keys;
        return current == null ? 0 : current.size();
    }
}

package io.authgateway.limits;

import io.authgateway.observability.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The shared store with what happens when it fails. Every failure is counted
 * ({@code cortex_gateway_limits_store_errors_total}) and logged at most once a minute. Fail-open,
 * the decision is made by this replica's own buckets with every rate and burst divided by the
 * replicas hint (so N replicas together stay near the limit); fail-closed, the failure goes to
 * the caller, which answers 503. After a failure the shared store is left alone for
 * {@link #BACK_OFF}, so a Redis that is down or slow adds its timeout to one request a second,
 * not to every request; the first call after that tries it again, which is how the gateway
 * recovers when Redis returns.
 */
final class GuardedRateStore implements RateStore {

    static final Duration BACK_OFF = Duration.ofSeconds(1);

    private final RateStore shared;
    private final LocalRateStore fallback;
    private final boolean failOpen;
    private final int replicasHint;
    private final LongSupplier nanoClock;
    private final Log log;
    private final AtomicLong errors = new AtomicLong();
    /** When the shared store is tried again after an error; now or in the past while it works. */
    private volatile long sharedAgainAt;
    private final LogThrottle errorLog;

    GuardedRateStore(RateStore shared, LocalRateStore fallback, boolean failOpen, int replicasHint,
                     LongSupplier nanoClock, Log log) {
        this.shared = shared;
        this.fallback = fallback;
        this.failOpen = failOpen;
        this.replicasHint = replicasHint;
        this.nanoClock = nanoClock;
        this.log = log;
        this.sharedAgainAt = nanoClock.getAsLong();
        this.errorLog = new LogThrottle(Duration.ofMinutes(1), nanoClock);
    }

    @Override
    public RateDecision take(List<Take> takes) throws StoreException {
        if (sharedDue()) {
            try {
                return shared.take(takes);
            } catch (StoreException e) {
                failed(e);
                if (!failOpen) {
                    throw e;
                }
            }
        } else if (!failOpen) {
            throw new StoreException("limits store backing off after an error", null);
        }
        return fallback.take(scaled(takes));
    }

    @Override
    public void charge(Take take) throws StoreException {
        if (sharedDue()) {
            try {
                shared.charge(take);
                return;
            } catch (StoreException e) {
                failed(e);
            }
        }
        fallback.charge(scaled(List.of(take)).getFirst()); // a spent cost is never refused, so fail-closed too
    }

    private boolean sharedDue() {
        return nanoClock.getAsLong() - sharedAgainAt >= 0;
    }

    private void failed(StoreException e) {
        errors.incrementAndGet();
        long now = nanoClock.getAsLong();
        sharedAgainAt = now + BACK_OFF.toNanos();
        long unlogged = errorLog.admit("store");
        if (unlogged >= 0) {
            log.error(failOpen ? "limits store failed, limiting with local counts" : "limits store failed, answering 503",
                    "err", e.getMessage(), "replicas_hint", replicasHint, "errors_total", errors.get(),
                    "not_logged_since_last", unlogged);
        }
    }

    private List<Take> scaled(List<Take> takes) {
        if (replicasHint == 1) {
            return takes;
        }
        List<Take> out = new ArrayList<>(takes.size());
        for (Take take : takes) {
            out.add(new Take(take.key(), take.rate().dividedBy(replicasHint), take.cost(), take.limit(), take.tenant()));
        }
        return out;
    }

    /** Failed calls to the shared store, for {@code cortex_gateway_limits_store_errors_total}. */
    long errors() {
        return errors.get();
    }

    @Override
    public void close() {
        shared.close();
    }
}

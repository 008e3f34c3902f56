package io.authgateway.limits;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Buckets in this replica's memory. One lock guards them all: a decision is a few additions, far
 * shorter than the lock hand-over between virtual threads would be with finer locks, and it makes
 * a decision over several buckets all or nothing. A bucket that owes nothing is the same as no
 * bucket, so {@link #sweep} drops those and memory follows the tenants active in the last burst.
 */
final class LocalRateStore implements RateStore {

    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, long[]> tats = new HashMap<>();

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a fixed clock in tests) */
    LocalRateStore(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public RateDecision take(List<Take> takes) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            long[] next = new long[takes.size()];
            for (int i = 0; i < takes.size(); i++) {
                Take take = takes.get(i);
                Gcra.Step step = Gcra.take(tat(take.key(), now), now, take.rate(), take.cost());
                if (!step.allowed()) {
                    return new RateDecision.Refused(take, step.waitNanos());
                }
                next[i] = step.tat();
            }
            for (int i = 0; i < takes.size(); i++) {
                tats.computeIfAbsent(takes.get(i).key(), k -> new long[1])[0] = next[i];
            }
            return RateDecision.ALLOWED;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void charge(Take take) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            long next = Gcra.charge(tat(take.key(), now), now, take.rate(), take.cost());
            tats.computeIfAbsent(take.key(), k -> new long[1])[0] = next;
        } finally {
            lock.unlock();
        }
    }

    private long tat(String key, long now) {
        long[] tat = tats.get(key);
        return tat == null ? now : tat[0];
    }

    /** Forgets buckets that owe nothing; run now and then. */
    void sweep() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            tats.values().removeIf(tat -> tat[0] - now <= 0);
        } finally {
            lock.unlock();
        }
    }

    int buckets() {
        lock.lock();
        try {
            return tats.size();
        } finally {
            lock.unlock();
        }
    }
}

package io.authgateway.limits;

/**
 * The generic cell rate algorithm, as pure arithmetic on one bucket's theoretical arrival time
 * (TAT, nanoseconds on the caller's clock). The Redis script does the same in microseconds
 * ({@code gcra.lua}); {@code GcraTest} holds the rules.
 *
 * <p>A take passes when the bucket, moved on by its cost, is at most the burst ahead of now, or
 * when the bucket owes nothing: so one push larger than the whole burst still passes on a rested
 * bucket, and what it costs beyond the burst is debt the next requests wait for.
 */
final class Gcra {

    private Gcra() {
    }

    /** What a take decided: the new TAT when it passed, else how long until it would pass. */
    record Step(boolean allowed, long tat, long waitNanos) {
    }

    static Step take(long tat, long now, Rate rate, long cost) {
        long base = Math.max(tat, now);
        long next = base + rate.nanosFor(cost);
        long tolerance = rate.toleranceNanos();
        if (next - now <= tolerance || base == now) {
            return new Step(true, next, 0);
        }
        return new Step(false, tat, Math.min(next - tolerance, base) - now);
    }

    /** Charges a cost that was already spent (a streamed body): always taken, possibly into debt. */
    static long charge(long tat, long now, Rate rate, long cost) {
        return Math.max(tat, now) + rate.nanosFor(cost);
    }
}

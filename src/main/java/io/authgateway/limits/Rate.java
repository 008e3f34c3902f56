package io.authgateway.limits;

/**
 * A rate with its burst, as GCRA sees it: each unit of cost moves a bucket's theoretical arrival
 * time on by {@code 1/perSecond} seconds, and a bucket may run up to {@code burst} units ahead.
 *
 * @param perSecond units per second, above 0
 * @param burst     units that may be taken at once, at least 1
 */
public record Rate(double perSecond, long burst) {

    public Rate {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s with burst " + burst);
        }
    }

    /** A rate whose burst is one second's worth when none is given. */
    public static Rate of(double perSecond, long burst) {
        return new Rate(perSecond, burst > 0 ? burst : Math.max(1, (long) Math.ceil(perSecond)));
    }

    /** Time that {@code units} take at this rate, in nanoseconds (saturating). */
    public long nanosFor(long units) {
        double nanos = units * 1e9 / perSecond;
        return nanos >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : Math.round(nanos);
    }

    /** How far ahead of now a bucket may run: the burst, in time. */
    public long toleranceNanos() {
        return nanosFor(burst);
    }

    /** This rate shared by {@code replicas}: each gets its part of the rate and of the burst (at least 1). */
    public Rate dividedBy(int replicas) {
        return new Rate(perSecond / replicas, Math.max(1, burst / replicas));
    }
}

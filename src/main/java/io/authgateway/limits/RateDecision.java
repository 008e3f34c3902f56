package io.authgateway.limits;

/** What a {@link RateStore} decided for a set of takes: all taken, or none and which one refused. */
sealed interface RateDecision {

    RateDecision ALLOWED = new Allowed();

    record Allowed() implements RateDecision {
    }

    /**
     * @param refused   the take that did not fit
     * @param waitNanos the store's estimate of when it would fit
     */
    record Refused(Take refused, long waitNanos) implements RateDecision {
    }
}

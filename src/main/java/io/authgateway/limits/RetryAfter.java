package io.authgateway.limits;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The {@code Retry-After} of a 429: the limiter's estimate of when the request would fit, rounded
 * up to whole seconds, plus a random 0 to half of that (at least 0 to 1 s) so that clients refused
 * together do not all come back in the same second. Never earlier than the estimate.
 */
final class RetryAfter {

    private final Supplier<RandomGenerator> random;

    /** @param random the generator of the calling thread ({@code ThreadLocalRandom::current}; a seeded one in tests) */
    RetryAfter(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    Duration after(long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        long spread = Math.max(1, seconds / 2);
        return Duration.ofSeconds(seconds + random.get().nextLong(spread + 1));
    }
}

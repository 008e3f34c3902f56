package io.authgateway.limits;

import java.time.Duration;

/** What the limiter decided for a request: it may go on, it is over a limit, or the shared store failed (fail-closed). */
public sealed interface Admission {

    /** Go on; close the permit when the request is done. */
    record Admitted(Permit permit) implements Admission {
    }

    /**
     * Over a limit: answer 429 with {@code Retry-After}.
     *
     * @param tenant     the tenant whose limit it is
     * @param retryAfter whole seconds, with jitter
     */
    record Refused(String tenant, LimitClass limitClass, Limit limit, Duration retryAfter) implements Admission {
    }

    /** The limits store failed and {@code -gateway.limits.redis-fail-open=false}: answer 503. */
    record Unavailable(String detail) implements Admission {
    }
}

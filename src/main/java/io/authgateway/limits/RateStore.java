package io.authgateway.limits;

import java.util.List;

/**
 * Where the buckets live: this replica's memory or Redis. A decision is all or nothing: when one
 * take does not fit, none is taken (a push refused for its bytes does not use up a request).
 */
interface RateStore extends AutoCloseable {

    /** @throws StoreException when the store cannot answer in time */
    RateDecision take(List<Take> takes) throws StoreException;

    /** Adds a cost already spent (a streamed body), whatever the bucket holds. */
    void charge(Take take) throws StoreException;

    @Override
    default void close() {
    }

    /** The store did not answer, or not in time; the message is for the log. */
    final class StoreException extends Exception {
        StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

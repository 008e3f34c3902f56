package io.authgateway.auth;

/**
 * Plain counts of JWKS fetches, for binding to metrics (for example Micrometer
 * {@code FunctionCounter}s named {@code jwks_fetches_total} and {@code jwks_fetch_failures_total}).
 * All values only grow, except {@link #keys()}.
 */
public interface KeyFetchCounters {

    /** Fetch attempts: first fetch and its retries, refreshes and unknown-kid refetches. */
    long fetches();

    /** Attempts that failed (network, status, timeout, unparsable document, no usable key). */
    long fetchFailures();

    /** Unknown-kid refetches among {@link #fetches()}. */
    long unknownKidRefetches();

    /** Keys currently in use; 0 until the first fetch succeeds. */
    int keys();
}

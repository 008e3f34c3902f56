package io.authgateway.auth;

import java.io.IOException;
import java.net.URI;

/**
 * Fetches a small document over HTTP(S), for the JWKS key set. The HTTP client behind it lives
 * with the gateway's other uses of {@code java.net.http} ({@code jdkclient}); authentication only
 * needs the bytes.
 */
public interface DocumentFetcher extends AutoCloseable {

    /**
     * The body of a 200 answer.
     *
     * @throws IOException with a reason fit for the log: another status, a body over
     *                     {@code maxBytes}, a connection failure, the timeout
     */
    byte[] fetch(URI url, int maxBytes) throws IOException, InterruptedException;

    @Override
    void close();
}

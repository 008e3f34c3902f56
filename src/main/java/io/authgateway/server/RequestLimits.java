package io.authgateway.server;

import com.sun.net.httpserver.Headers;

import java.util.List;
import java.util.Map;

/**
 * Limits the gateway enforces itself, below the JDK server's hard cap
 * ({@link ServerProperties#MAX_HEADER_BYTES}) so that an oversized request gets a proper 431 instead
 * of a dropped connection, and before anything is sent upstream.
 */
public final class RequestLimits {

    /** Request headers larger than this in total (names, values, separators) get 431. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private RequestLimits() {
    }

    /** The headers' size as on the wire: {@code name: value\r\n} for each value. */
    public static long headerBytes(Headers headers) {
        long total = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                total += header.getKey().length() + 2L + (value == null ? 0 : value.length()) + 2L;
            }
        }
        return total;
    }
}

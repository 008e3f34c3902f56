package io.authgateway.auth;

import com.sun.net.httpserver.Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the token the way the Go fork does: each extra header in the configured order (raw value),
 * then {@code Authorization} with an optional, case-insensitive {@code Bearer } prefix. The first
 * header with a non-empty value wins, even if its token turns out to be invalid.
 */
public final class TokenExtractor {

    public static final String AUTHORIZATION = "Authorization";

    private final List<String> headers;

    public TokenExtractor(List<String> extraHeaders) {
        List<String> all = new ArrayList<>(extraHeaders);
        all.add(AUTHORIZATION);
        this.headers = List.copyOf(all);
    }

    public Optional<ExtractedToken> extract(Headers requestHeaders) {
        int last = headers.size() - 1;
        for (int i = 0; i <= last; i++) {
            String name = headers.get(i);
            String value = requestHeaders.getFirst(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            String token = i == last ? stripBearer(value) : value;
            return Optional.of(new ExtractedToken(token.trim(), name));
        }
        return Optional.empty();
    }

    /** The headers a token is looked for in, in order. */
    public List<String> headers() {
        return headers;
    }

    static String stripBearer(String value) {
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7);
        }
        return value;
    }
}

package io.authgateway.auth;

import com.sun.net.httpserver.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the token the way the Go fork does: each extra header in the configured order (raw value),
 * then {@code Authorization} with an optional, case-insensitive {@code Bearer } prefix. The first
 * header with a non-empty value wins, even if its token turns out to be invalid.
 *
 * <p>With Basic authentication on ({@code -gateway.auth.basic-enabled}), an {@code Authorization:
 * Basic base64(user:password)} header carries the token as its password and the tenant choice as
 * its username (RFC 7617: the username ends at the first colon). With it off, such a header is read
 * as a bearer token and fails verification, as it always did.
 */
public final class TokenExtractor {

    public static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    private final List<String> headers;
    private final boolean basicEnabled;

    public TokenExtractor(List<String> extraHeaders, boolean basicEnabled) {
        List<String> all = new ArrayList<>(extraHeaders);
        all.add(AUTHORIZATION);
        this.headers = List.copyOf(all);
        this.basicEnabled = basicEnabled;
    }

    public Credentials extract(Headers requestHeaders) {
        int last = headers.size() - 1;
        for (int i = 0; i <= last; i++) {
            String name = headers.get(i);
            String value = requestHeaders.getFirst(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (i < last) {
                return new Credentials.Token(value.trim(), name, Optional.empty());
            }
            if (basicEnabled && value.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
                return basic(value.substring(BASIC.length()).trim());
            }
            return new Credentials.Token(stripBearer(value).trim(), name, Optional.empty());
        }
        return new Credentials.Missing();
    }

    /** The headers a token is looked for in, in order. */
    public List<String> headers() {
        return headers;
    }

    /** The same names in lower case: the headers a credential may come in, withheld from the upstream. */
    public Set<String> lowerCaseHeaders() {
        return headers.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    static String stripBearer(String value) {
        if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return value.substring(BEARER.length());
        }
        return value;
    }

    private static Credentials basic(String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return new Credentials.Malformed("basic credentials are not base64");
        }
        String pair;
        try {
            pair = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return new Credentials.Malformed("basic credentials are not UTF-8");
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return new Credentials.Malformed("basic credentials without a colon");
        }
        String password = pair.substring(colon + 1).trim();
        if (password.isEmpty()) {
            return new Credentials.Malformed("basic credentials without a password (the token)");
        }
        String user = pair.substring(0, colon).trim();
        return new Credentials.Token(password, AUTHORIZATION, user.isEmpty() ? Optional.empty() : Optional.of(user));
    }
}

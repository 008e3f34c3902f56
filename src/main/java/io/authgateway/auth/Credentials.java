package io.authgateway.auth;

import java.util.Optional;

/** What a request presented to authenticate with, as {@link TokenExtractor} found it. */
public sealed interface Credentials {

    /**
     * A token to verify.
     *
     * @param token         the compact JWT, with any {@code Bearer } prefix removed
     * @param header        the header it came from (configured spelling)
     * @param chosenTenants the tenants a Basic username chose ({@code a} or {@code a|b}), to be
     *                      checked against the token's; empty for a bearer token or an empty username
     */
    record Token(String token, String header, Optional<String> chosenTenants) implements Credentials {
    }

    /** No header with a token. */
    record Missing() implements Credentials {
    }

    /** A Basic header that is not {@code base64(user:password)}; {@code detail} is for the log. */
    record Malformed(String detail) implements Credentials {
    }
}

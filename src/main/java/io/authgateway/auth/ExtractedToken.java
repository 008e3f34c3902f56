package io.authgateway.auth;

/**
 * A token taken from a request header.
 *
 * @param token  the compact JWT, with any {@code Bearer } prefix removed
 * @param header the header it came from (configured spelling)
 */
public record ExtractedToken(String token, String header) {
}

package io.authgateway.config;

import java.time.Duration;
import java.util.Set;

/**
 * What a verified token's claims must satisfy besides the tenant.
 *
 * @param audiences         when non-empty, {@code aud} (string or array) must contain one of them
 * @param issuers           when non-empty, {@code iss} must be one of them
 * @param requireExpiration reject tokens without {@code exp} (default false, as in Go)
 * @param clockSkew         leeway for {@code exp}, {@code nbf} and {@code iat} (default 0)
 * @param minTokenVersion   reject a lower {@code version} claim, or a missing one when above 0
 */
public record ClaimRules(Set<String> audiences, Set<String> issuers, boolean requireExpiration, Duration clockSkew,
                         long minTokenVersion) {

    public static final ClaimRules GO_DEFAULTS = new ClaimRules(Set.of(), Set.of(), false, Duration.ZERO, 0);

    public ClaimRules {
        audiences = Set.copyOf(audiences);
        issuers = Set.copyOf(issuers);
    }
}

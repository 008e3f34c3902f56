package io.authgateway.auth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.authgateway.config.ClaimRules;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Checks a verified token's registered claims. Times follow golang-jwt v4, which the Go fork used:
 * {@code exp}, {@code nbf} and {@code iat} only when present (unless expiration is required), each
 * a number, with the configured leeway. Then audience, issuer and the {@code version} used for
 * revocation.
 */
public final class ClaimValidator {

    private final ClaimRules rules;

    public ClaimValidator(ClaimRules rules) {
        this.rules = rules;
    }

    /** Null when the claims are acceptable at {@code now}, else a short reason for the log. */
    public String problem(JsonObject claims, Instant now) {
        String times = timeProblem(claims, now.toEpochMilli() / 1000.0);
        if (times != null) {
            return times;
        }
        if (!rules.audiences().isEmpty() && !audienceMatches(claims.get("aud"))) {
            return "audience (aud) is missing or not accepted";
        }
        String issuer = Base64Json.stringMember(claims, "iss");
        if (!rules.issuers().isEmpty() && (issuer == null || !rules.issuers().contains(issuer))) {
            return "issuer (iss) is missing or not accepted";
        }
        return rules.minTokenVersion() > 0 ? versionProblem(claims.get("version")) : null;
    }

    private String timeProblem(JsonObject claims, double now) {
        Double exp = numeric(claims, "exp");
        Double nbf = numeric(claims, "nbf");
        Double iat = numeric(claims, "iat");
        if (isNaN(exp) || isNaN(nbf) || isNaN(iat)) {
            return "a time claim (exp, nbf, iat) is not a number";
        }
        double skew = rules.clockSkew().toMillis() / 1000.0;
        if (exp == null && rules.requireExpiration()) {
            return "token has no expiration (exp) and one is required";
        }
        if (exp != null && now - skew >= exp) {
            return "token is expired";
        }
        if (nbf != null && now + skew < nbf) {
            return "token is not valid yet";
        }
        if (iat != null && now + skew < iat) {
            return "token used before issued";
        }
        return null;
    }

    private boolean audienceMatches(JsonElement aud) {
        if (aud instanceof JsonPrimitive p && p.isString()) {
            return rules.audiences().contains(p.getAsString());
        }
        if (aud instanceof JsonArray array) {
            for (JsonElement element : array) {
                if (element instanceof JsonPrimitive p && p.isString() && rules.audiences().contains(p.getAsString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private String versionProblem(JsonElement version) {
        if (version == null) {
            return "token has no version claim, minimum is " + rules.minTokenVersion();
        }
        if (!(version instanceof JsonPrimitive p) || !p.isNumber() || !isInteger(p.getAsBigDecimal())) {
            return "token version claim is not an integer";
        }
        if (p.getAsBigDecimal().compareTo(BigDecimal.valueOf(rules.minTokenVersion())) < 0) {
            return "token version " + Base64Json.sanitize(p.getAsString()) + " is below the minimum " + rules.minTokenVersion();
        }
        return null;
    }

    private static boolean isInteger(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** Null when absent, NaN when present but not a number. */
    private static Double numeric(JsonObject claims, String name) {
        JsonElement value = claims.get(name);
        if (value == null) {
            return null;
        }
        return value instanceof JsonPrimitive p && p.isNumber() ? p.getAsDouble() : Double.NaN;
    }

    private static boolean isNaN(Double value) {
        return value != null && value.isNaN();
    }
}

package io.authgateway.auth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a token's scope claims grant. A token is <em>scoped</em> only when its {@code scope} claim
 * (space-separated string, OAuth 2.0 style) or {@code scopes} claim (array of strings) names at
 * least one {@link Scope}; every other token (no claim, a claim of another type, or only names
 * such as an identity provider's {@code openid profile}) keeps the all-access behaviour tokens had
 * before scopes existed. Unknown names are ignored.
 *
 * @param scoped  whether the token names at least one known scope
 * @param granted the known scopes it names (empty when not scoped)
 */
public record Scopes(boolean scoped, Set<Scope> granted) {

    public static final String SCOPE_CLAIM = "scope";
    public static final String SCOPES_CLAIM = "scopes";
    /** A token that names no scope: it may do anything its tenants may, unless scopes are required. */
    public static final Scopes UNSCOPED = new Scopes(false, Set.of());
    /** Every scope, named: what a verified client certificate grants. */
    public static final Scopes ALL = new Scopes(true, EnumSet.allOf(Scope.class));

    public Scopes {
        granted = granted.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(granted));
    }

    public static Scopes of(Set<Scope> granted) {
        return granted.isEmpty() ? UNSCOPED : new Scopes(true, granted);
    }

    /** Reads both claims of a verified token's payload. */
    public static Scopes fromClaims(JsonObject claims) {
        Set<Scope> found = EnumSet.noneOf(Scope.class);
        if (claims.get(SCOPE_CLAIM) instanceof JsonPrimitive primitive && primitive.isString()) {
            for (String name : primitive.getAsString().split("[ \t]+")) {
                Scope.named(name).ifPresent(found::add);
            }
        }
        if (claims.get(SCOPES_CLAIM) instanceof JsonArray array) {
            for (JsonElement element : array) {
                if (element instanceof JsonPrimitive primitive && primitive.isString()) {
                    Scope.named(primitive.getAsString()).ifPresent(found::add);
                }
            }
        }
        return of(found);
    }

    /** Whether a scoped token names {@code scope}; an unscoped token grants nothing by name. */
    public boolean names(Scope scope) {
        return granted.contains(scope);
    }

    /** The names as a token carries them, space-separated, in {@link Scope} order. */
    public String wireNames() {
        return String.join(" ", granted.stream().map(Scope::wireName).toList());
    }
}

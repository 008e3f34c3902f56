package io.authgateway.auth;

import java.util.List;

/**
 * What a verified credential allows: the tenants it may act on (in the token's order, distinct,
 * each a valid tenant ID; more than one only for a tenant-list token) and its scopes. Which of
 * them a request gets is decided per request, from its route class (see the access package).
 */
public record Grant(List<String> tenants, Scopes scopes) {

    public Grant {
        tenants = List.copyOf(tenants);
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("a grant names at least one tenant");
        }
    }

    /** One tenant, every scope: the static tenant, or a token from before scopes existed. */
    public static Grant single(String tenant) {
        return new Grant(List.of(tenant), Scopes.UNSCOPED);
    }

    /** Whether the token lists several tenants (a one-element list acts like a plain string). */
    public boolean federated() {
        return tenants.size() > 1;
    }

    public boolean allows(String tenant) {
        return tenants.contains(tenant);
    }

    /** The tenants as they appear in logs, {@code a|b}. */
    public String label() {
        return String.join("|", tenants);
    }
}

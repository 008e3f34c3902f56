package io.authgateway.access;

import io.authgateway.auth.Grant;
import io.authgateway.auth.Scope;
import io.authgateway.auth.Scopes;
import io.authgateway.routing.Mode;
import io.authgateway.routing.RouteClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what an authenticated request may do, from its route class, the credential's grant and
 * the tenants the client chose. Scope first (a token that may not do this at all learns nothing
 * about tenants), then tenants: a read may span several of the token's tenants; anything that
 * changes data acts on exactly one. Pure: no I/O, no clock, safe to share.
 */
public final class AccessPolicy {

    private final Mode mode;
    private final boolean requireScopes;

    /** @param requireScopes whether a token that names no scope is refused instead of allowed everything */
    public AccessPolicy(Mode mode, boolean requireScopes) {
        this.mode = mode;
        this.requireScopes = requireScopes;
    }

    /**
     * @param chosen the client's choice ({@code a} or {@code a|b}), when it made one; single-tenant
     *               bearer tokens never pass one (their client's header is overwritten, as always)
     */
    public Decision decide(Grant grant, RouteClass routeClass, Optional<String> chosen) {
        Scope needed = requiredScope(mode, routeClass);
        if (!permits(grant.scopes(), needed)) {
            return new Decision.Denied(DenyReason.SCOPE_MISSING, DenyReason.SCOPE_MISSING.body() + needed.wireName(),
                    (grant.scopes().scoped() ? "token scopes '" + grant.scopes().wireNames() + "'" : "token names no scope")
                            + " lack " + needed.wireName());
        }
        if (chosen.isEmpty()) {
            if (routeClass.changesData() && grant.federated()) {
                return new Decision.Denied(DenyReason.WRITE_NEEDS_ONE_TENANT, DenyReason.WRITE_NEEDS_ONE_TENANT.body(),
                        "no tenant chosen for a " + routeClass.label());
            }
            return new Decision.Allowed(grant.tenants());
        }
        List<String> tenants = TenantChoice.parse(chosen.get());
        for (String tenant : tenants) {
            if (!grant.allows(tenant)) {
                return new Decision.Denied(DenyReason.TENANT_NOT_ALLOWED, DenyReason.TENANT_NOT_ALLOWED.body(),
                        "chosen tenants '" + chosen.get() + "' are not all in the token's list");
            }
        }
        if (routeClass.changesData() && tenants.size() != 1) {
            return new Decision.Denied(DenyReason.WRITE_NEEDS_ONE_TENANT, DenyReason.WRITE_NEEDS_ONE_TENANT.body(),
                    tenants.size() + " tenants chosen for a " + routeClass.label());
        }
        return new Decision.Allowed(tenants);
    }

    /** Whether a token with these scopes may make requests that need {@code needed}. */
    public boolean permits(Scopes scopes, Scope needed) {
        if (!scopes.scoped()) {
            return !requireScopes;
        }
        return scopes.names(needed);
    }

    /** The route classes a token with these scopes may use on this mode's routes, in {@link RouteClass} order. */
    public List<RouteClass> usableClasses(Scopes scopes) {
        List<RouteClass> usable = new ArrayList<>();
        for (RouteClass routeClass : classesOf(mode)) {
            if (permits(scopes, requiredScope(mode, routeClass))) {
                usable.add(routeClass);
            }
        }
        return usable;
    }

    /** Loki has no alertmanager routes, so no alerts classes. */
    public static List<RouteClass> classesOf(Mode mode) {
        List<RouteClass> classes = new ArrayList<>(List.of(RouteClass.values()));
        if (mode == Mode.LOKI) {
            classes.remove(RouteClass.ALERTS_READ);
            classes.remove(RouteClass.ALERTS_WRITE);
        }
        return classes;
    }

    /** mimir-gateway checks the {@code metrics:*} names, loki-gateway the {@code logs:*} names. */
    public static Scope requiredScope(Mode mode, RouteClass routeClass) {
        boolean metrics = mode == Mode.MIMIR;
        return switch (routeClass) {
            case READ -> metrics ? Scope.METRICS_READ : Scope.LOGS_READ;
            case WRITE -> metrics ? Scope.METRICS_WRITE : Scope.LOGS_WRITE;
            case DELETE -> metrics ? Scope.METRICS_DELETE : Scope.LOGS_DELETE;
            case RULES_READ -> Scope.RULES_READ;
            case RULES_WRITE -> Scope.RULES_WRITE;
            case ALERTS_READ -> Scope.ALERTS_READ;
            case ALERTS_WRITE -> Scope.ALERTS_WRITE;
            case ADMIN -> Scope.ADMIN;
        };
    }
}

package io.authgateway.auth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the tenant claim of a verified token: a string (one tenant, as always) or a JSON array of
 * at most {@value #MAX_TENANTS} tenant IDs (a tenant list, for federated reads). Each ID follows
 * {@link TenantIds}; an empty array, a non-string element or a repeated ID makes the whole claim
 * invalid, so no client ever gets a tenant set the issuer did not write exactly.
 */
public final class TenantClaim {

    public static final int MAX_TENANTS = 100;

    /** The tenants of a claim, or why it gives none (for the log). */
    public sealed interface Parsed {
        record Tenants(List<String> tenants) implements Parsed {
        }

        record Invalid(String detail) implements Parsed {
        }
    }

    private final String claimName;
    private final boolean federation;

    /** @param federation whether lists of more than one tenant are accepted ({@code -gateway.auth.tenant-federation}) */
    public TenantClaim(String claimName, boolean federation) {
        this.claimName = claimName;
        this.federation = federation;
    }

    public String name() {
        return claimName;
    }

    public Parsed parse(JsonElement claim) {
        if (claim == null) {
            return new Parsed.Invalid("claim " + claimName + " not found");
        }
        if (claim instanceof JsonPrimitive primitive && primitive.isString()) {
            return single(primitive.getAsString());
        }
        if (claim instanceof JsonArray array) {
            return list(array);
        }
        return new Parsed.Invalid("claim " + claimName + " is not a string or a list but " + kindOf(claim));
    }

    private static Parsed single(String tenant) {
        String problem = TenantIds.problem(tenant);
        return problem == null ? new Parsed.Tenants(List.of(tenant)) : new Parsed.Invalid(problem);
    }

    private Parsed list(JsonArray array) {
        if (array.isEmpty()) {
            return new Parsed.Invalid("claim " + claimName + " is an empty list");
        }
        if (array.size() > MAX_TENANTS) {
            return new Parsed.Invalid("claim " + claimName + " lists " + array.size() + " tenants, at most " + MAX_TENANTS);
        }
        if (array.size() > 1 && !federation) {
            return new Parsed.Invalid("claim " + claimName + " lists several tenants and tenant federation is off");
        }
        List<String> tenants = new ArrayList<>(array.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonPrimitive primitive) || !primitive.isString()) {
                return new Parsed.Invalid("claim " + claimName + " element " + i + " is not a string but " + kindOf(array.get(i)));
            }
            String tenant = primitive.getAsString();
            String problem = TenantIds.problem(tenant);
            if (problem != null) {
                return new Parsed.Invalid("claim " + claimName + " element " + i + ": " + problem);
            }
            if (!seen.add(tenant)) {
                return new Parsed.Invalid("claim " + claimName + " element " + i + " repeats a tenant");
            }
            tenants.add(tenant);
        }
        return new Parsed.Tenants(tenants);
    }

    private static String kindOf(JsonElement claim) {
        if (claim.isJsonNull()) {
            return "null";
        }
        if (claim.isJsonArray()) {
            return "an array";
        }
        if (claim.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive primitive = claim.getAsJsonPrimitive();
        return primitive.isBoolean() ? "a boolean" : primitive.isString() ? "a string" : "a number";
    }
}

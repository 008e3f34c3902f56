package io.authgateway.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client's own choice of tenants, from {@code X-Scope-OrgID} (tenant-list tokens only) or a Basic
 * username: one ID or an {@code a|b} list, spaces around {@code |} ignored, a repeated ID counted
 * once, the client's order kept. Nothing here trusts the choice; {@link AccessPolicy} checks it
 * against the token's tenants.
 */
public final class TenantChoice {

    private TenantChoice() {
    }

    /** The distinct IDs of a non-blank value; an empty element stays (as {@code ""}) and is never allowed. */
    public static List<String> parse(String value) {
        Set<String> ids = new LinkedHashSet<>();
        for (String part : value.split("\\|", -1)) {
            ids.add(part.strip());
        }
        return new ArrayList<>(ids);
    }

    /** The value of every {@code X-Scope-OrgID} line, joined as one list; empty when none has content. */
    public static Optional<String> fromHeader(List<String> values) {
        if (values == null || values.stream().allMatch(String::isBlank)) {
            return Optional.empty();
        }
        return Optional.of(String.join("|", values.stream().filter(v -> !v.isBlank()).toList()));
    }
}

package io.authgateway.access;

import java.util.List;

/** What an authenticated request may do on its route: go upstream for these tenants, or not at all. */
public sealed interface Decision {

    /**
     * Forward for these tenants: one for a write, one or more for a read.
     *
     * @param tenants distinct, each in the credential's grant, in the order chosen
     */
    record Allowed(List<String> tenants) implements Decision {
        public Allowed {
            tenants = List.copyOf(tenants);
        }

        /** The {@code X-Scope-OrgID} value: Mimir's and Loki's tenant-federation syntax {@code a|b}. */
        public String orgIdHeader() {
            return tenants.size() == 1 ? tenants.getFirst() : String.join("|", tenants);
        }
    }

    /**
     * Refused before anything is forwarded.
     *
     * @param body   the fixed text the client sees
     * @param detail the cause, for the log only
     */
    record Denied(DenyReason reason, String body, String detail) implements Decision {
    }
}

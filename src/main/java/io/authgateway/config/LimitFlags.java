package io.authgateway.config;

import java.util.ArrayList;
import java.util.List;

import static io.authgateway.config.FlagKind.BOOL;
import static io.authgateway.config.FlagKind.DURATION;
import static io.authgateway.config.FlagKind.FLOAT;
import static io.authgateway.config.FlagKind.INT;
import static io.authgateway.config.FlagKind.STRING;

/** The {@code -gateway.limits.*} flags: the default limit of each {@link LimitKey}, the overrides file and the store. */
public final class LimitFlags {

    public static final String OVERRIDES_FILE = "gateway.limits.overrides-file";
    public static final String STORE = "gateway.limits.store";
    public static final String REDIS_ADDRESS = "gateway.limits.redis-address";
    public static final String REDIS_PASSWORD_FILE = "gateway.limits.redis-password-file";
    public static final String REDIS_TIMEOUT = "gateway.limits.redis-timeout";
    public static final String REDIS_FAIL_OPEN = "gateway.limits.redis-fail-open";
    public static final String REPLICAS_HINT = "gateway.limits.replicas-hint";

    private LimitFlags() {
    }

    public static List<FlagSpec> all() {
        List<FlagSpec> specs = new ArrayList<>();
        for (LimitKey key : LimitKey.values()) {
            specs.add(FlagSpec.of(key.flagName(), key.fractional() ? FLOAT : INT, "0", key.help()));
        }
        specs.add(FlagSpec.of(OVERRIDES_FILE, STRING, "", "YAML file of per-tenant limits (overrides: {tenant: {write_burst: 10}});"
                + " re-read within 10s when it changes, a broken file keeps the last good one"));
        specs.add(FlagSpec.of(STORE, STRING, "local", "Where rate counts live: local (each replica counts alone) or redis (shared by every replica)"));
        specs.add(FlagSpec.of(REDIS_ADDRESS, STRING, "", "Redis host:port, for -" + STORE + "=redis"));
        specs.add(FlagSpec.of(REDIS_PASSWORD_FILE, STRING, "", "File holding the Redis password (optional)"));
        specs.add(FlagSpec.of(REDIS_TIMEOUT, DURATION, "50ms", "Longest wait for Redis per decision; slower counts as an error"));
        specs.add(FlagSpec.of(REDIS_FAIL_OPEN, BOOL, "true", "When Redis fails: decide with local counts scaled by -"
                + REPLICAS_HINT + " (true) or answer 503 (false)"));
        specs.add(FlagSpec.of(REPLICAS_HINT, INT, "1", "Number of gateway replicas: the local fallback divides each rate and burst by it"));
        return specs;
    }
}

package io.authgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The per-tenant limits as configured: defaults from the flags, the overrides file (as read at
 * start-up) and where the shared counts live.
 *
 * @param defaults      every tenant's limits unless overridden ({@code -gateway.limits.*})
 * @param overridesFile {@code -gateway.limits.overrides-file}, re-read while the gateway runs
 * @param overrides     the file's entries as read at start-up, by tenant, each already merged over the defaults
 * @param store         local counts or Redis
 */
public record LimitSettings(TenantLimits defaults, Optional<Path> overridesFile, Map<String, TenantLimits> overrides,
                            Store store) {

    public LimitSettings {
        overrides = Map.copyOf(overrides);
    }

    public static LimitSettings unlimited() {
        return new LimitSettings(TenantLimits.UNLIMITED, Optional.empty(), Map.of(), Store.LOCAL);
    }

    /**
     * Where rate counts live.
     *
     * @param redisAddress  {@code host:port}, for {@code -gateway.limits.store=redis} only
     * @param passwordFile  a file holding the Redis password (AUTH), optional
     * @param timeout       the most a decision may wait for Redis before it counts as an error
     * @param failOpen      on a Redis error: decide with local counts (true) or answer 503 (false)
     * @param replicasHint  the local fallback divides every rate and burst by this
     */
    public record Store(Kind kind, String redisAddress, Optional<Path> passwordFile, Duration timeout, boolean failOpen,
                        int replicasHint) {

        public static final Store LOCAL = new Store(Kind.LOCAL, "", Optional.empty(), Duration.ofMillis(50), true, 1);

        public enum Kind {
            LOCAL, REDIS;

            static Kind parse(String text) {
                return switch (text) {
                    case "local" -> LOCAL;
                    case "redis" -> REDIS;
                    default -> throw new IllegalArgumentException(text);
                };
            }
        }
    }
}

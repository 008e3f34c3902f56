package io.authgateway.config;

import java.util.Locale;

/**
 * The six per-tenant limits, each named once: its flag ({@code -gateway.limits.write-burst}) and
 * its key in the overrides file ({@code write_burst}, the flag's name after
 * {@code -gateway.limits.} with {@code _} for {@code -}, as Mimir's runtime config spells them).
 * Zero means unlimited.
 */
public enum LimitKey {
    WRITE_REQUESTS_PER_SECOND(true, "Pushes per second per tenant (0: unlimited)"),
    WRITE_BURST(false, "Pushes a tenant may send at once above its rate (0: one second's worth)"),
    WRITE_BYTES_PER_SECOND(false, "Push body bytes per second per tenant (0: unlimited); bursts up to one second's worth"),
    READ_REQUESTS_PER_SECOND(true, "Queries and tails per second per tenant (0: unlimited)"),
    READ_BURST(false, "Queries a tenant may send at once above its rate (0: one second's worth)"),
    MAX_INFLIGHT_REQUESTS(false, "Requests in flight per tenant and class (write, read) on each replica (0: unlimited)");

    private final boolean fractional;
    private final String help;

    LimitKey(boolean fractional, String help) {
        this.fractional = fractional;
        this.help = help;
    }

    /** The flag name without its dash, e.g. {@code gateway.limits.write-burst}. */
    public String flagName() {
        return "gateway.limits." + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The key in the overrides file, e.g. {@code write_burst}. */
    public String yamlKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Rates may be fractional (0.5 per second); bursts, bytes and counts are whole numbers. */
    public boolean fractional() {
        return fractional;
    }

    public String help() {
        return help;
    }

    /**
     * Reads a value as given on the command line or in the file.
     *
     * @throws IllegalArgumentException with a short reason when it is not a non-negative number of the right kind
     */
    public double parse(String text) {
        String trimmed = text.trim();
        double value;
        try {
            value = fractional ? Double.parseDouble(trimmed) : Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(fractional ? "not a number" : "not a whole number");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("must be 0 (unlimited) or more");
        }
        return value;
    }

    public static LimitKey fromYamlKey(String key) {
        for (LimitKey limit : values()) {
            if (limit.yamlKey().equals(key)) {
                return limit;
            }
        }
        throw new IllegalArgumentException("unknown limit");
    }
}

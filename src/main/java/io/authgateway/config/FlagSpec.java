package io.authgateway.config;

import java.util.List;

/**
 * One command-line flag: its name (without dashes), kind, default as text, help, and any other
 * names it is also accepted under.
 */
public record FlagSpec(String name, FlagKind kind, String defaultValue, String help, List<String> aliases) {

    public FlagSpec {
        aliases = List.copyOf(aliases);
    }

    public static FlagSpec of(String name, FlagKind kind, String defaultValue, String help) {
        return new FlagSpec(name, kind, defaultValue, help, List.of());
    }

    public FlagSpec alias(String other) {
        List<String> names = new java.util.ArrayList<>(aliases);
        names.add(other);
        return new FlagSpec(name, kind, defaultValue, help, names);
    }
}

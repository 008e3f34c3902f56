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
        return new FlagSpec(name, kind, defaultValue, help,
                java.util.stream.Stream.concat(aliases.stream(), java.util.stream.Stream.of(other)).toList());
    }
}

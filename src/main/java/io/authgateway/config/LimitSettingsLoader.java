package io.authgateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code -gateway.limits.*} flags into {@link LimitSettings}, adding every problem to the
 * caller's list (each naming the flag and the value). The overrides file is read here once, so a
 * broken file stops start-up (exit 1) with its line; later changes are the watcher's.
 */
final class LimitSettingsLoader {

    private final ParsedFlags flags;
    private final List<String> problems;

    LimitSettingsLoader(ParsedFlags flags, List<String> problems) {
        this.flags = flags;
        this.problems = problems;
    }

    LimitSettings load() {
        TenantLimits defaults = defaults();
        Optional<Path> file = path(LimitFlags.OVERRIDES_FILE);
        Map<String, TenantLimits> overrides = Map.of();
        if (file.isPresent()) {
            overrides = readOverrides(file.get(), defaults);
        }
        return new LimitSettings(defaults, file, overrides, store());
    }

    private TenantLimits defaults() {
        Map<LimitKey, Double> values = new EnumMap<>(LimitKey.class);
        for (LimitKey key : LimitKey.values()) {
            String text = key.fractional() ? Double.toString(flags.number(key.flagName()))
                    : Long.toString(flags.integer(key.flagName()));
            try {
                values.put(key, key.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add("invalid value \"" + text + "\" for flag -" + key.flagName() + ": " + e.getMessage());
            }
        }
        return TenantLimits.UNLIMITED.with(values);
    }

    private Map<String, TenantLimits> readOverrides(Path file, TenantLimits defaults) {
        try {
            return LimitOverrides.parse(Files.readString(file, StandardCharsets.UTF_8), defaults);
        } catch (NoSuchFileException e) {
            problems.add("cannot read -" + LimitFlags.OVERRIDES_FILE + " '" + file + "': no such file");
        } catch (IOException e) {
            problems.add("cannot read -" + LimitFlags.OVERRIDES_FILE + " '" + file + "': " + e.getClass().getSimpleName());
        } catch (LimitOverrides.InvalidOverrides e) {
            problems.add("-" + LimitFlags.OVERRIDES_FILE + " '" + file + "': " + e.getMessage());
        }
        return Map.of();
    }

    private LimitSettings.Store store() {
        String kindText = flags.string(LimitFlags.STORE);
        LimitSettings.Store.Kind kind = LimitSettings.Store.Kind.LOCAL;
        try {
            kind = LimitSettings.Store.Kind.parse(kindText);
        } catch (IllegalArgumentException e) {
            problems.add("invalid value \"" + kindText + "\" for flag -" + LimitFlags.STORE + ": expected local or redis");
        }
        String address = flags.string(LimitFlags.REDIS_ADDRESS).trim();
        if (kind == LimitSettings.Store.Kind.REDIS && !validAddress(address)) {
            problems.add(address.isEmpty()
                    ? "-" + LimitFlags.STORE + "=redis needs -" + LimitFlags.REDIS_ADDRESS + " (host:port)"
                    : "invalid value \"" + address + "\" for flag -" + LimitFlags.REDIS_ADDRESS + ": expected host:port");
        }
        Optional<Path> password = path(LimitFlags.REDIS_PASSWORD_FILE);
        password.filter(p -> !Files.isReadable(p)).ifPresent(p ->
                problems.add("cannot read -" + LimitFlags.REDIS_PASSWORD_FILE + " '" + p + "'"));
        Duration timeout = flags.duration(LimitFlags.REDIS_TIMEOUT);
        if (!timeout.isPositive()) {
            problems.add("invalid value \"" + GoDuration.format(timeout) + "\" for flag -" + LimitFlags.REDIS_TIMEOUT
                    + ": must be positive");
        }
        long replicas = flags.integer(LimitFlags.REPLICAS_HINT);
        if (replicas < 1 || replicas > 10_000) {
            problems.add("invalid value \"" + replicas + "\" for flag -" + LimitFlags.REPLICAS_HINT + ": must be 1..10000");
        }
        return new LimitSettings.Store(kind, address, password, timeout, flags.bool(LimitFlags.REDIS_FAIL_OPEN),
                (int) Math.clamp(replicas, 1, 10_000));
    }

    private Optional<Path> path(String flag) {
        String value = flags.string(flag).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static boolean validAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return false;
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return port > 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

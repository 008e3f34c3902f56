package io.authgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of reading the command line: typed values for the flags that were set, and every
 * problem and warning found on the way. Flags that were not set read as their defaults.
 */
public record ParsedFlags(FlagCatalog catalog, Map<String, Object> values, List<String> errors,
                          List<String> warnings, boolean helpRequested) {

    public ParsedFlags {
        values = Map.copyOf(values);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean isSet(String name) {
        return values.containsKey(name);
    }

    public String string(String name) {
        return (String) valueOf(name);
    }

    public boolean bool(String name) {
        return (Boolean) valueOf(name);
    }

    public long integer(String name) {
        return (Long) valueOf(name);
    }

    public double number(String name) {
        return (Double) valueOf(name);
    }

    /** Every value of a repeatable flag, in command-line order. */
    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) valueOf(name);
    }

    public Duration duration(String name) {
        return (Duration) valueOf(name);
    }

    private Object valueOf(String name) {
        Object value = values.get(name);
        if (value != null) {
            return value;
        }
        FlagSpec spec = catalog.lookup(name)
                .orElseThrow(() -> new IllegalArgumentException("no flag named " + name));
        return FlagParser.convert(spec, spec.defaultValue());
    }
}

package io.authgateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a command line the way Go's {@code flag} package does: {@code -name=value},
 * {@code -name value}, {@code --name=value}; booleans as {@code -flag} or {@code -flag=false}.
 * Unlike Go it keeps going after a problem so that every problem can be reported at once.
 */
public final class FlagParser {

    private final FlagCatalog catalog;

    public FlagParser(FlagCatalog catalog) {
        this.catalog = catalog;
    }

    public ParsedFlags parse(List<String> args) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Set<String> ignored = new LinkedHashSet<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                args.subList(i + 1, args.size()).forEach(extra -> errors.add("unexpected argument \"" + extra + "\""));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                errors.add("unexpected argument \"" + arg + "\": flags start with -");
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Optional<String> inlineValue = eq < 0 ? Optional.empty() : Optional.of(body.substring(eq + 1));
            if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
                errors.add("bad flag syntax: " + arg);
                continue;
            }
            if (name.equals("help") || name.equals("h")) {
                help = true;
                continue;
            }
            Optional<FlagSpec> found = catalog.lookup(name);
            if (found.isEmpty()) {
                errors.add("flag provided but not defined: -" + name);
                continue;
            }
            FlagSpec spec = found.get();
            String text;
            if (inlineValue.isPresent()) {
                text = inlineValue.get();
            } else if (spec.kind() == FlagKind.BOOL) {
                text = "true";
            } else if (i + 1 < args.size()) {
                text = args.get(++i);
            } else {
                errors.add("flag needs an argument: -" + name);
                continue;
            }
            if (spec.kind() == FlagKind.IGNORED) {
                ignored.add("-" + name);
                continue;
            }
            if (spec.kind() == FlagKind.LIST) {
                values.merge(spec.name(), List.of(text), FlagParser::append);
                continue;
            }
            try {
                values.put(spec.name(), convert(spec, text));
            } catch (IllegalArgumentException e) {
                errors.add("invalid value \"" + text + "\" for flag -" + name + ": " + e.getMessage());
            }
        }
        List<String> warnings = ignored.isEmpty() ? List.of()
                : List.of("ignoring gRPC flags, this gateway has no gRPC listener: " + String.join(" ", ignored));
        return new ParsedFlags(catalog, values, errors, warnings, help);
    }

    static Object convert(FlagSpec spec, String text) {
        return switch (spec.kind()) {
            case STRING, IGNORED -> text;
            case LIST -> text.isEmpty() ? List.of() : List.of(text);
            case BOOL -> parseBool(text);
            case INT -> parseInt(text);
            case FLOAT -> parseFloat(text);
            case DURATION -> GoDuration.parse(text);
        };
    }

    private static Object append(Object earlier, Object more) {
        List<Object> all = new ArrayList<>((List<?>) earlier);
        all.addAll((List<?>) more);
        return List.copyOf(all);
    }

    private static Boolean parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("parse error, expected true or false");
        };
    }

    private static Double parseFloat(String text) {
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the same message as any other text that is not a number
        }
        throw new IllegalArgumentException("parse error, expected a number");
    }

    private static Long parseInt(String text) {
        try {
            return Long.decode(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parse error, expected an integer");
        }
    }
}

package io.authgateway.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the per-tenant overrides file, Mimir's runtime-config shape:
 * <pre>
 * overrides:
 *   tenant-a:
 *     write_requests_per_second: 50
 *     write_bytes_per_second: 4194304
 * </pre>
 * A tenant's entry replaces only the keys it names. The YAML is read by snakeyaml-engine into its
 * node tree (not into Java objects), so every problem can name its line; anything unknown (a
 * top-level key other than {@code overrides}, a limit name, a value that is not a non-negative
 * number, a tenant or a limit named twice) is refused, as Mimir refuses unknown runtime-config fields.
 */
public final class LimitOverrides {

    /** Large enough for thousands of tenants, small enough that a wrong file cannot fill the heap. */
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private LimitOverrides() {
    }

    /** A file that cannot be used; the message names the line (1-based) when there is one. */
    public static final class InvalidOverrides extends Exception {
        InvalidOverrides(String message) {
            super(message);
        }
    }

    /**
     * @param defaults what a tenant gets for the keys its entry does not name
     * @return the merged limits by tenant, in file order
     */
    public static Map<String, TenantLimits> parse(String yaml, TenantLimits defaults) throws InvalidOverrides {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setMaxAliasesForCollections(10)
                    .setCodePointLimit(MAX_CODE_POINTS).build()).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            throw new InvalidOverrides(at(e.getProblemMark()) + "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new InvalidOverrides("not valid YAML: " + e.getMessage());
        }
        Map<String, TenantLimits> out = new LinkedHashMap<>();
        if (root.isEmpty()) {
            return out; // an empty file: no overrides
        }
        for (NodeTuple top : mapping(root.get(), "the document").getValue()) {
            String key = scalar(top.getKeyNode(), "a top-level key");
            if (!key.equals("overrides")) {
                throw new InvalidOverrides(at(top.getKeyNode()) + "unknown key \"" + key + "\" (expected overrides)");
            }
            if (isNull(top.getValueNode())) {
                continue;
            }
            for (NodeTuple entry : mapping(top.getValueNode(), "overrides").getValue()) {
                String tenant = scalar(entry.getKeyNode(), "a tenant ID");
                if (out.containsKey(tenant)) {
                    throw new InvalidOverrides(at(entry.getKeyNode()) + "tenant \"" + tenant + "\" named twice");
                }
                out.put(tenant, defaults.with(limits(tenant, entry.getValueNode())));
            }
        }
        return out;
    }

    private static Map<LimitKey, Double> limits(String tenant, Node node) throws InvalidOverrides {
        Map<LimitKey, Double> changes = new EnumMap<>(LimitKey.class);
        if (isNull(node)) {
            return changes;
        }
        for (NodeTuple limit : mapping(node, "the entry of tenant \"" + tenant + "\"").getValue()) {
            String name = scalar(limit.getKeyNode(), "a limit name");
            LimitKey key;
            try {
                key = LimitKey.fromYamlKey(name);
            } catch (IllegalArgumentException e) {
                throw new InvalidOverrides(at(limit.getKeyNode()) + "unknown limit \"" + name + "\" for tenant \"" + tenant
                        + "\" (expected one of " + String.join(", ", names()) + ")");
            }
            if (changes.containsKey(key)) {
                throw new InvalidOverrides(at(limit.getKeyNode()) + name + " named twice for tenant \"" + tenant + "\"");
            }
            String value = scalar(limit.getValueNode(), name + " of tenant \"" + tenant + "\"");
            try {
                changes.put(key, key.parse(value));
            } catch (IllegalArgumentException e) {
                throw new InvalidOverrides(at(limit.getValueNode()) + name + " of tenant \"" + tenant + "\": \"" + value
                        + "\" " + e.getMessage());
            }
        }
        return changes;
    }

    private static MappingNode mapping(Node node, String what) throws InvalidOverrides {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw new InvalidOverrides(at(node) + what + " must be a mapping");
    }

    private static String scalar(Node node, String what) throws InvalidOverrides {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new InvalidOverrides(at(node) + what + " must be a plain value");
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null");
    }

    private static String at(Node node) {
        return at(node.getStartMark());
    }

    private static String at(Optional<Mark> mark) {
        return mark.map(m -> "line " + (m.getLine() + 1) + ": ").orElse("");
    }

    private static String[] names() {
        LimitKey[] keys = LimitKey.values();
        String[] names = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            names[i] = keys[i].yamlKey();
        }
        return names;
    }
}

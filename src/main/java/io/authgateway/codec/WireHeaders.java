package io.authgateway.codec;

import com.sun.net.httpserver.Headers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * {@link Headers} with the same contract (names normalised to {@code Content-type} form, CR and LF
 * refused) but cheap lookups: the JDK class copies every key it is asked about into a new string,
 * and a request asks about a dozen names. Here names already in normal form are used as they
 * are, and the normal forms of the names the gateway itself asks for are remembered.
 */
public final class WireHeaders extends Headers {

    /** Bounds the remembered names; names the code uses are far fewer. */
    private static final int REMEMBERED = 256;
    private static final Map<String, String> NORMAL_FORMS = new ConcurrentHashMap<>();

    private final Map<String, List<String>> map = new HashMap<>(16);

    /** The {@code Headers} form of a name: first character upper case, the rest lower case. */
    static String normalize(String key) {
        Objects.requireNonNull(key);
        if (isNormal(key)) {
            return key;
        }
        String known = NORMAL_FORMS.get(key);
        if (known != null) {
            return known;
        }
        char[] chars = key.toCharArray();
        if (chars[0] >= 'a' && chars[0] <= 'z') {
            chars[0] = (char) (chars[0] - 32);
        }
        for (int i = 1; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + 32);
            }
        }
        String normal = new String(chars);
        if (NORMAL_FORMS.size() < REMEMBERED) {
            NORMAL_FORMS.putIfAbsent(key, normal);
        }
        return normal;
    }

    private static boolean isNormal(String key) {
        int length = key.length();
        if (length == 0) {
            return true;
        }
        char first = key.charAt(0);
        if (first >= 'a' && first <= 'z' || first == '\r' || first == '\n') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z' || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static void check(String text, String what) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("illegal character in header " + what);
        }
    }

    /** Adds a value under a name the parser already normalised and checked. */
    void addParsed(String normalName, String value) {
        map.computeIfAbsent(normalName, name -> new ArrayList<>(1)).add(value);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && map.containsKey(normalize(name));
    }

    @Override
    public boolean containsValue(Object value) {
        return map.containsValue(Objects.requireNonNull(value));
    }

    @Override
    public List<String> get(Object key) {
        return map.get(normalize((String) key));
    }

    @Override
    public String getFirst(String key) {
        List<String> values = map.get(normalize(key));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public List<String> put(String key, List<String> values) {
        check(key, "name");
        values.forEach(value -> check(value, "value"));
        return map.put(normalize(key), values);
    }

    @Override
    public void add(String key, String value) {
        check(key, "name");
        check(value, "value");
        map.computeIfAbsent(normalize(key), name -> new ArrayList<>(1)).add(value);
    }

    @Override
    public void set(String key, String value) {
        check(key, "name");
        check(value, "value");
        List<String> values = new ArrayList<>(1);
        values.add(value);
        map.put(normalize(key), values);
    }

    @Override
    public List<String> remove(Object key) {
        return map.remove(normalize((String) key));
    }

    @Override
    public void putAll(Map<? extends String, ? extends List<String>> headers) {
        headers.forEach(this::put);
    }

    @Override
    public void clear() {
        map.clear();
    }

    @Override
    public Set<String> keySet() {
        return map.keySet();
    }

    @Override
    public Collection<List<String>> values() {
        return map.values();
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return map.entrySet();
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super List<String>, ? extends List<String>> function) {
        map.replaceAll((name, values) -> {
            List<String> replaced = Objects.requireNonNull(function.apply(name, values));
            replaced.forEach(value -> check(value, "value"));
            return replaced;
        });
    }

    @Override
    public boolean equals(Object other) {
        return map.equals(other);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return "Headers { " + map + " }";
    }
}

package io.authgateway.upstream;

import com.sun.net.httpserver.Headers;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1 and those named in
 * {@code Connection}) never do; the identity header {@code X-Scope-OrgID} is always replaced, never
 * merged; headers the JDK client sets itself ({@code Host}, {@code Content-Length}, {@code Expect})
 * are left to it.
 */
public final class ProxyHeaders {

    public static final String ORG_ID = "X-Scope-OrgID";

    private static final Names HOP_BY_HOP = new Names("connection", "proxy-connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /** Request headers the JDK HttpClient refuses or manages itself, plus the identity header. */
    private static final Names NOT_FORWARDED = new Names("host", "content-length", "expect",
            "x-scope-orgid", "x-forwarded-for", "x-forwarded-host");

    /**
     * Header names matched in any case without lower-casing each name (an allocation per header):
     * names arrive in the {@code Headers} form ({@code Content-length}) or, from java.net.http, in
     * lower case, both found by one hash lookup; any other spelling falls back to a comparison.
     */
    private record Names(Set<String> exact, Set<String> anyCase) {
        Names(String... lowerCase) {
            this(exactForms(lowerCase), caseInsensitive(lowerCase));
        }

        boolean contains(String name) {
            return lowerAfterFirst(name) ? exact.contains(name) : anyCase.contains(name);
        }

        /** The two forms {@link #exact} holds both spellings of: {@code Content-length}, {@code content-length}. */
        private static boolean lowerAfterFirst(String name) {
            for (int i = 1; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    return false;
                }
            }
            return true;
        }

        private static Set<String> exactForms(String... lowerCase) {
            Set<String> forms = new HashSet<>();
            for (String name : lowerCase) {
                forms.add(name);
                forms.add(Character.toUpperCase(name.charAt(0)) + name.substring(1));
            }
            return Set.copyOf(forms);
        }

        private static Set<String> caseInsensitive(String... names) {
            Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            set.addAll(List.of(names));
            return Collections.unmodifiableSet(set);
        }
    }

    private ProxyHeaders() {
    }

    /**
     * Calls {@code sink} for every client header that may be sent upstream, then for the gateway's
     * own: {@code X-Scope-OrgID}, {@code X-Forwarded-For} (client IP appended) and
     * {@code X-Forwarded-Host}. The client's {@code X-Scope-OrgID} never passes: this is the one
     * place that writes the header, and a null {@code tenant} means none at all (observe-only
     * mode, when no tenant was verified and the client sent none).
     *
     * @param tenant  the value for {@code X-Scope-OrgID}, or null for no such header
     * @param dropped extra header names (lower case) to withhold, e.g. the token header
     */
    public static void forRequest(Headers client, String tenant, String clientIp, Set<String> dropped,
                                  BiConsumer<String, String> sink) {
        Set<String> connectionNamed = namedInConnection(client.get("Connection"));
        for (Map.Entry<String, List<String>> header : client.entrySet()) {
            String name = header.getKey();
            if (HOP_BY_HOP.contains(name) || NOT_FORWARDED.contains(name) || connectionNamed.contains(name)
                    || containsIgnoringCase(dropped, name)) {
                continue;
            }
            for (String value : header.getValue()) {
                sink.accept(header.getKey(), value);
            }
        }
        if (tenant != null) {
            sink.accept(ORG_ID, tenant);
        }
        List<String> forwardedFor = client.get("X-Forwarded-For");
        String prior = forwardedFor == null ? "" : String.join(", ", forwardedFor);
        sink.accept("X-Forwarded-For", prior.isBlank() ? clientIp : prior + ", " + clientIp);
        String host = client.getFirst("Host");
        if (host != null) {
            sink.accept("X-Forwarded-Host", host);
        }
    }

    /** Copies an upstream answer's headers except hop-by-hop ones and the framing the server sets. */
    /**
     * Copies an upstream answer's headers except hop-by-hop ones and the framing the server sets.
     *
     * @param upstream names in any case ({@code Headers} form, or lower case from java.net.http)
     */
    public static void forResponse(Map<String, List<String>> upstream, Headers out) {
        List<String> connection = upstream.get("Connection");
        Set<String> connectionNamed = namedInConnection(connection != null ? connection : upstream.get("connection"));
        for (Map.Entry<String, List<String>> header : upstream.entrySet()) {
            String name = header.getKey();
            if (name.startsWith(":") || HOP_BY_HOP.contains(name) || name.equalsIgnoreCase("content-length")
                    || connectionNamed.contains(name)) {
                continue;
            }
            out.put(name, List.copyOf(header.getValue()));
        }
    }

    /** The header names a {@code Connection} header lists, as a case-insensitive set. */
    private static Set<String> namedInConnection(List<String> connection) {
        if (connection == null) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String value : connection) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static boolean containsIgnoringCase(Set<String> lowerCaseNames, String name) {
        for (String candidate : lowerCaseNames) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}

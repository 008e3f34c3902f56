package io.authgateway.upstream;

import com.sun.net.httpserver.Headers;

import java.util.Collections;
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

    /** Case-insensitive sets: header names arrive in any case, and lower-casing each would allocate. */
    private static final Set<String> HOP_BY_HOP = caseInsensitive("connection", "proxy-connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /** Request headers the JDK HttpClient refuses or manages itself, plus the identity header. */
    private static final Set<String> NOT_FORWARDED = caseInsensitive("host", "content-length", "expect",
            "x-scope-orgid", "x-forwarded-for", "x-forwarded-host");

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
    }

    private ProxyHeaders() {
    }

    /**
     * Calls {@code sink} for every client header that may be sent upstream, then for the gateway's
     * own: {@code X-Scope-OrgID}, {@code X-Forwarded-For} (client IP appended) and
     * {@code X-Forwarded-Host}.
     *
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
        sink.accept(ORG_ID, tenant);
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

package io.authgateway.upstream;

import com.sun.net.httpserver.Headers;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1 and those named in
 * {@code Connection}) never do; the identity header {@code X-Scope-OrgID} is always replaced, never
 * merged; headers the JDK client sets itself ({@code Host}, {@code Content-Length}, {@code Expect})
 * are left to it.
 */
public final class ProxyHeaders {

    public static final String ORG_ID = "X-Scope-OrgID";

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /** Request headers the JDK HttpClient refuses or manages itself, plus the identity header. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "expect",
            "x-scope-orgid", "x-forwarded-for", "x-forwarded-host");

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
        Set<String> connectionNamed = namedInConnection(client);
        for (Map.Entry<String, List<String>> header : client.entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || NOT_FORWARDED.contains(lower) || connectionNamed.contains(lower)
                    || dropped.contains(lower)) {
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
    public static void forResponse(Map<String, List<String>> upstream, Headers out) {
        Set<String> connectionNamed = new HashSet<>();
        List<String> connection = upstream.get("connection");
        if (connection != null) {
            connection.forEach(v -> addTokens(v, connectionNamed));
        }
        for (Map.Entry<String, List<String>> header : upstream.entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || HOP_BY_HOP.contains(lower) || lower.equals("content-length")
                    || connectionNamed.contains(lower)) {
                continue;
            }
            out.put(header.getKey(), List.copyOf(header.getValue()));
        }
    }

    private static Set<String> namedInConnection(Headers client) {
        List<String> connection = client.get("Connection");
        if (connection == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        connection.forEach(v -> addTokens(v, names));
        return names;
    }

    private static void addTokens(String value, Set<String> into) {
        for (String token : value.split(",")) {
            String name = token.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                into.add(name);
            }
        }
    }
}

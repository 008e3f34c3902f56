package io.authgateway.upstream;

import io.authgateway.routing.Upstream;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the server decided about a request before it is proxied.
 *
 * @param upstream        the component it goes to
 * @param base            the component's base URL ({@code -gateway.*.address})
 * @param rawPath         the upstream path: the base path joined to the request path, still percent-encoded
 * @param rawQuery        the request's query as the client sent it, or null
 * @param tenant          the value for {@code X-Scope-OrgID}; null: no such header (observe-only mode, nothing
 *                        verified and none sent by the client)
 * @param withheldHeaders lower-case names of client headers not to forward (e.g. the token header)
 * @param addedHeaders    headers the gateway adds (trace propagation)
 */
public record ForwardRequest(Upstream upstream, URI base, String rawPath, String rawQuery, String tenant,
                             Set<String> withheldHeaders, Map<String, String> addedHeaders) {

    public ForwardRequest {
        withheldHeaders = Set.copyOf(withheldHeaders);
        addedHeaders = Map.copyOf(addedHeaders);
    }

    /** The full upstream URL; parsed on each call, for the transports that need a {@link URI}. */
    public URI target() {
        return UpstreamUris.withJoinedPath(base, rawPath, rawQuery);
    }

    /** The origin-form request target: path (at least {@code /}) and query. */
    public String originForm() {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return rawQuery == null ? path : path + "?" + rawQuery;
    }
}

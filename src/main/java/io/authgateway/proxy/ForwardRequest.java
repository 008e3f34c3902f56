package io.authgateway.proxy;

import io.authgateway.routing.Upstream;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * What the server decided about a request before it is proxied.
 *
 * @param upstream        the component it goes to
 * @param target          the full upstream URL (base joined with the request path and query)
 * @param tenant          the value for {@code X-Scope-OrgID}
 * @param withheldHeaders lower-case names of client headers not to forward (e.g. the token header)
 * @param addedHeaders    headers the gateway adds (trace propagation)
 */
public record ForwardRequest(Upstream upstream, URI target, String tenant, Set<String> withheldHeaders,
                             Map<String, String> addedHeaders) {

    public ForwardRequest {
        withheldHeaders = Set.copyOf(withheldHeaders);
        addedHeaders = Map.copyOf(addedHeaders);
    }
}

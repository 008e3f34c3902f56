package io.authgateway.upstream;

import javax.net.ssl.SSLContext;
import java.util.Optional;

/**
 * TLS to https upstreams, the same for the pooled client, the JDK client and WebSocket tails.
 *
 * @param context    trust (CA bundle, the JDK's store, a pinned server name, or nothing checked)
 *                   and the client certificate for mTLS; both may reload underneath
 * @param serverName sent as SNI instead of the URL's host; the context's trust manager checks it
 * @param checksHost whether the client checks the URL's host against the certificate (the JDK's
 *                   endpoint identification): off when the context checks a server name itself,
 *                   or checks nothing
 */
public record UpstreamTls(SSLContext context, Optional<String> serverName, boolean checksHost) {
}

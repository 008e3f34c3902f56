package io.authgateway.proxy;

import java.net.URI;

/**
 * Builds the upstream URL: the component's base URL joined to the request path with exactly one
 * slash (Go's {@code singleJoiningSlash}), path and query kept byte for byte as the client sent
 * them (still percent-encoded).
 */
public final class UpstreamUris {

    private UpstreamUris() {
    }

    public static URI resolve(URI base, String rawPath, String rawQuery) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String path;
        if (basePath.endsWith("/") && rawPath.startsWith("/")) {
            path = basePath + rawPath.substring(1);
        } else if (!basePath.endsWith("/") && !rawPath.startsWith("/") && !basePath.isEmpty()) {
            path = basePath + "/" + rawPath;
        } else {
            path = basePath + rawPath;
        }
        StringBuilder uri = new StringBuilder(64)
                .append(base.getScheme()).append("://").append(base.getRawAuthority()).append(path);
        if (rawQuery != null) {
            uri.append('?').append(rawQuery);
        }
        return URI.create(uri.toString());
    }
}

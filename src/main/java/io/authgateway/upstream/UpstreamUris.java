package io.authgateway.upstream;

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
        return withJoinedPath(base, joinPath(base, rawPath), rawQuery);
    }

    /** The base URL's scheme and authority with a path already joined by {@link #joinPath} and a query. */
    public static URI withJoinedPath(URI base, String joinedPath, String rawQuery) {
        StringBuilder uri = new StringBuilder(64)
                .append(base.getScheme()).append("://").append(base.getRawAuthority()).append(joinedPath);
        if (rawQuery != null) {
            uri.append('?').append(rawQuery);
        }
        return URI.create(uri.toString());
    }

    /** The base URL's path joined to the request's raw path with exactly one slash between them. */
    public static String joinPath(URI base, String rawPath) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (basePath.endsWith("/") && rawPath.startsWith("/")) {
            return basePath + rawPath.substring(1);
        }
        if (!basePath.endsWith("/") && !rawPath.startsWith("/") && !basePath.isEmpty()) {
            return basePath + "/" + rawPath;
        }
        return basePath.isEmpty() ? rawPath : basePath + rawPath;
    }
}

package io.authgateway.routing;

/**
 * One entry of a route table.
 *
 * @param path        the path or path prefix, without {@code -server.path-prefix}
 * @param match       exact or prefix
 * @param destination where matching requests go
 * @param label       the bounded {@code route} metric label, derived from the path as weaveworks does
 */
public record Route(String path, Match match, Destination destination, String label) {

    public static Route exact(String path, Upstream upstream, RouteKind kind) {
        return new Route(path, Match.EXACT, new Destination.Proxy(upstream, kind), labelOf(path));
    }

    public static Route prefix(String path, Upstream upstream, RouteKind kind) {
        return new Route(path, Match.PREFIX, new Destination.Proxy(upstream, kind), labelOf(path));
    }

    public static Route local(String path, Destination.Local local) {
        return new Route(path, Match.EXACT, local, labelOf(path));
    }

    public boolean matches(String requestPath) {
        return match.matches(path, requestPath);
    }

    /**
     * weaveworks {@code MakeLabelValue}: runs of characters other than letters and digits become
     * one {@code _}, leading and trailing {@code _} are trimmed, the result is lower-cased, and an
     * empty result is {@code root}.
     */
    public static String labelOf(String path) {
        StringBuilder out = new StringBuilder(path.length());
        boolean pendingUnderscore = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                if (pendingUnderscore && !out.isEmpty()) {
                    out.append('_');
                }
                pendingUnderscore = false;
                out.append(Character.toLowerCase(c));
            } else {
                pendingUnderscore = true;
            }
        }
        return out.isEmpty() ? "root" : out.toString();
    }
}

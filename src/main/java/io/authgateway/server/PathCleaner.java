package io.authgateway.server;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Go's {@code path.Clean} as gorilla/mux applies it: repeated slashes, {@code .} and {@code ..}
 * elements are resolved, and a trailing slash is kept. The Go gateways answered a non-canonical
 * path with a 301 to the cleaned one; so do we, which also keeps routing and the upstream's view
 * of the path from disagreeing.
 */
public final class PathCleaner {

    private PathCleaner() {
    }

    public static String clean(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(element);
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String part : parts) {
            out.append('/').append(part);
        }
        if (out.isEmpty()) {
            return "/";
        }
        if (path.endsWith("/")) {
            out.append('/');
        }
        return out.toString();
    }

    /** Fast check used on every request: true when {@link #clean} would change nothing. */
    public static boolean isClean(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        return !path.contains("//") && !path.contains("/./") && !path.contains("/../")
                && !path.endsWith("/.") && !path.endsWith("/..");
    }
}

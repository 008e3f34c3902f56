package io.authgateway.demo;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One request of the demo as a {@code curl} command line to paste into a POSIX shell. {@code -i}
 * shows the status line, so the 401 of a bad token is visible. A body makes curl send a POST.
 *
 * @param title   what the request shows, printed above the command
 * @param headers request headers as {@code Name: value}
 * @param body    sent with {@code --data-binary}, byte for byte
 * @param url     the gateway URL, with the query already encoded
 */
public record CurlCommand(String title, List<String> headers, Optional<String> body, URI url) {

    public CurlCommand {
        headers = List.copyOf(headers);
    }

    public String text() {
        StringBuilder line = new StringBuilder("curl -i");
        headers.forEach(header -> line.append(" -H ").append(quote(header)));
        body.ifPresent(data -> line.append(" --data-binary ").append(quote(data)));
        return line.append(' ').append(quote(url.toString())).toString();
    }

    /** Single quotes keep {@code ? & { } "} literal in the shell; a single quote itself is closed, escaped, reopened. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}

package io.authgateway.gateway;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one place that writes the gateway's own answers. They look like Go's {@code http.Error}:
 * {@code text/plain; charset=utf-8}, {@code X-Content-Type-Options: nosniff}, a short fixed text
 * and a trailing newline. Exception messages never reach a client.
 */
final class Responses {

    private Responses() {
    }

    static void text(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/plain; charset=utf-8");
        headers.set("X-Content-Type-Options", "nosniff");
        send(exchange, status, body);
    }

    /** 301 to a cleaned path, as gorilla/mux answers non-canonical paths. */
    static void movedPermanently(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        send(exchange, 301, ("<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A complete answer with its own content type, e.g. the metrics exposition. */
    static void body(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        send(exchange, status, body);
    }

    /** Writes a complete body with its length; HEAD requests get the headers only. */
    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String htmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;");
    }
}

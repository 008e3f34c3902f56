package io.authgateway.demo;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.routing.Upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for one Mimir/Loki component in the demo: a loopback listener that answers every
 * request with 200 and a small JSON object saying what it saw (component, method, path and query,
 * {@code X-Scope-OrgID}, body bytes), and prints the same as one line, so a newcomer sees exactly
 * what the gateway forwarded. It counts the body without keeping it.
 */
public final class EchoUpstream implements AutoCloseable {

    /** Spelled out here rather than taken from the proxy code: the echo is a witness, not a colleague. */
    private static final String TENANT_HEADER = "X-Scope-OrgID";
    private static final int BACKLOG = 16;
    /** Without HTML escaping, so the answer shows {@code query=up} rather than an escaped {@code =}. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    /** Pads the component column so the lines of all components line up. */
    private static final int LABEL_WIDTH = Arrays.stream(Upstream.values()).mapToInt(u -> u.label().length()).max().orElse(0);

    private final Upstream component;
    private final PrintStream lines;
    private final HttpServer server;
    private final ExecutorService executor;

    private EchoUpstream(Upstream component, PrintStream lines, HttpServer server, ExecutorService executor) {
        this.component = component;
        this.lines = lines;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on a free loopback port. The JDK server is used on purpose, not the gateway's own: the
     * echo must not share code with what it shows. Its timeouts are the JDK's defaults (they are
     * JVM-wide system properties); only the gateway in the same process talks to it.
     */
    public static EchoUpstream start(Upstream component, PrintStream lines) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        EchoUpstream echo = new EchoUpstream(component, lines, server, executor);
        server.createContext("/", echo::handle);
        server.setExecutor(executor);
        server.start();
        return echo;
    }

    public Upstream component() {
        return component;
    }

    /** The base URL to give the gateway as {@code -gateway.<component>.address}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long bodyBytes = drain(exchange.getRequestBody());
            URI uri = exchange.getRequestURI();
            String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
            String method = exchange.getRequestMethod();
            String tenant = exchange.getRequestHeaders().getFirst(TENANT_HEADER);
            lines.println(line(method, target, tenant, bodyBytes));
            byte[] answer = (answer(method, target, tenant, bodyBytes) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : answer.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    /** Reads the body to its end, one buffer at a time: a large push costs no memory. */
    private static long drain(InputStream body) throws IOException {
        try (body) {
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
            }
            return total;
        }
    }

    private String line(String method, String target, String tenant, long bodyBytes) {
        return String.format("%-" + LABEL_WIDTH + "s <- %s %s  %s=%s  body=%d bytes", component.label(), method, target,
                TENANT_HEADER, tenant == null ? "(none)" : tenant, bodyBytes);
    }

    private String answer(String method, String target, String tenant, long bodyBytes) {
        JsonObject json = new JsonObject();
        json.addProperty("component", component.label());
        json.addProperty("method", method);
        json.addProperty("path", target);
        json.addProperty(TENANT_HEADER, tenant);
        json.addProperty("body_bytes", bodyBytes);
        return GSON.toJson(json);
    }

    /** Stops at once: the gateway in front is stopped first, so no request is in flight. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package io.authgateway.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The tests' upstream, on a loopback port: records every request it gets (method, raw path and
 * query, headers, body length and SHA-256; the body itself when small). Two ways to answer:
 * {@link #RecordingUpstream(String)} is an HTTP server (the JDK's, not the gateway's: a witness
 * should not share code with what it watches) answering through a {@link Responder}, by default
 * 200 with its own name; {@link #scripted} speaks raw bytes, to misbehave on purpose: a
 * {@link Script} gets each request head and writes whatever it likes back.
 */
public final class RecordingUpstream implements AutoCloseable {

    /** One request as the upstream saw it. Header names are lower case. */
    public record Recorded(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                           long bodyLength, String bodySha256, byte[] smallBody, boolean bodyComplete) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : values.getFirst();
        }

        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of());
        }

        public String body() {
            return new String(smallBody, StandardCharsets.UTF_8);
        }
    }

    /** Writes the answer; the body has already been read and recorded. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange exchange, Recorded request) throws IOException;
    }

    /** Answers one request on a raw connection; return false to close the connection afterwards. */
    @FunctionalInterface
    public interface Script {
        boolean answer(int connection, int requestOnConnection, String requestHead, InputStream in, OutputStream out)
                throws IOException;
    }

    private final String name;
    private final HttpServer server;
    private final RawServer raw;
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private volatile Responder responder;

    public RecordingUpstream(String name) throws IOException {
        this.name = name;
        this.responder = (exchange, request) -> text(exchange, 200, name);
        this.raw = null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private RecordingUpstream(Script script) throws IOException {
        this.name = "scripted";
        this.server = null;
        this.raw = new RawServer(script, requests::add);
    }

    /** An upstream that answers in raw bytes, as {@code script} says. */
    public static RecordingUpstream scripted(Script script) throws IOException {
        return new RecordingUpstream(script);
    }

    public String name() {
        return name;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + (raw != null ? raw.port() : server.getAddress().getPort()));
    }

    /** Connections accepted so far (scripted upstreams only). */
    public int connections() {
        return raw.connections();
    }

    /** Replaces the script (scripted upstreams only). */
    public void script(Script script) {
        raw.script(script);
    }

    public static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void respondWith(Responder responder) {
        this.responder = responder;
    }

    public Recorded take() throws InterruptedException {
        Recorded request = requests.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("upstream " + name + " received no request within 10s");
        }
        return request;
    }

    /** Null if nothing arrives within the wait. */
    public Recorded poll(Duration wait) throws InterruptedException {
        return requests.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops requests recorded so far, e.g. leftovers of an earlier test. */
    public void clear() {
        requests.clear();
    }

    public int received() {
        return requests.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            MessageDigest sha = sha256();
            long length = 0;
            byte[] small = new byte[0];
            boolean complete = true;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                java.io.ByteArrayOutputStream keep = new java.io.ByteArrayOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    sha.update(buffer, 0, n);
                    length += n;
                    if (keep.size() < 1024 * 1024) {
                        keep.write(buffer, 0, n);
                    }
                }
                small = keep.toByteArray();
            } catch (IOException e) {
                complete = false;
            }
            URI uri = exchange.getRequestURI();
            Recorded recorded = new Recorded(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    headers, length, HexFormat.of().formatHex(sha.digest()), small, complete);
            requests.add(recorded);
            if (complete) {
                responder.respond(exchange, recorded);
            }
        }
    }

    public static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.close();
        } else {
            server.stop(0);
        }
    }
}

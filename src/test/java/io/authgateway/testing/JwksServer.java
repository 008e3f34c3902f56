package io.authgateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on a loopback port whose document and status a test changes at will; counts hits. */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile String document;
    private volatile int status = 200;

    public JwksServer(String document) throws IOException {
        this.document = document;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    public void serve(String newDocument) {
        this.document = newDocument;
        this.status = 200;
    }

    /** Every request now gets this status with an empty body (an outage). */
    public void fail(int failureStatus) {
        this.status = failureStatus;
    }

    public int hits() {
        return hits.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            hits.incrementAndGet();
            int current = status;
            if (current != 200) {
                exchange.sendResponseHeaders(current, -1);
                return;
            }
            byte[] body = document.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

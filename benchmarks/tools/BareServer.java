import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The design's own ceiling for the load test, and the byte-counting upstream of the memory test:
 * a JDK {@code HttpServer} on a virtual-thread-per-request executor (as the gateway uses) that
 * reads and discards every request body and answers {@code 200 received=<bytes>} itself, except on
 * {@value #QUERY_256K_PATH}, which it answers with {@value #QUERY_256K_BYTES} bytes, like the load
 * test's upstream stand-in (load.sh checks the byte count before measuring).
 *
 * <p>Usage: {@code java BareServer.java PORT}. Binds 127.0.0.1 only. Server limits are set the
 * way the gateway's {@code ServerProperties} sets them, so the comparison is like for like.
 */
public final class BareServer {

    private static final String QUERY_256K_PATH = "/prometheus/api/v1/query_range";
    private static final int QUERY_256K_BYTES = 256 * 1024;
    private static final byte[] QUERY_256K_ANSWER = "q".repeat(QUERY_256K_BYTES).getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "10000");
        setIfAbsent("sun.net.httpserver.clockTick", "1000");
        setIfAbsent("sun.net.httpserver.timerMillis", "1000");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", BareServer::handle);
        server.start();
        System.out.println("bare server listening on 127.0.0.1:" + port);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            }
            byte[] body = exchange.getRequestURI().getPath().equals(QUERY_256K_PATH)
                    ? QUERY_256K_ANSWER
                    : ("received=" + received + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}

package io.authgateway.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.authgateway.config.ConfigLoader;
import io.authgateway.config.LoadResult;
import io.authgateway.routing.Mode;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.gateway.Gateway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One request through an in-process gateway to a loopback upstream and back, over a keep-alive
 * connection per benchmark thread: a 1 KiB push and a query with a JWT, and the same push sent
 * straight to the upstream as the baseline (the difference is what the gateway costs). Run with
 * {@code -t N} for N concurrent connections.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RoundTripBenchmark {

    /** The upstream and the gateway, shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Servers {
        HttpServer upstream;
        ExecutorService upstreamExecutor;
        Gateway gateway;
        String token;

        @Setup(Level.Trial)
        public void start() throws IOException {
            upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            upstreamExecutor = Executors.newVirtualThreadPerTaskExecutor();
            upstream.setExecutor(upstreamExecutor);
            upstream.createContext("/", RoundTripBenchmark::answerOk);
            upstream.start();
            String upstreamUrl = "http://127.0.0.1:" + upstream.getAddress().getPort();
            LoadResult result = new ConfigLoader(Mode.MIMIR).load(List.of(
                    "-server.http-listen-address=127.0.0.1", "-server.http-listen-port=0",
                    "-gateway.distributor.address=" + upstreamUrl, "-gateway.query-frontend.address=" + upstreamUrl,
                    "-gateway.auth.jwt-secret=" + Fixtures.SECRET, "-log.level=warn"));
            if (!(result instanceof LoadResult.Loaded loaded)) {
                throw new IllegalStateException("gateway configuration rejected: " + result);
            }
            gateway = Gateway.start(loaded.config(), new Log(LogLevel.WARN, LogFormat.LOGFMT, System.err, Clock.systemUTC()),
                    java.util.Map.of());
            token = Fixtures.token();
        }

        @TearDown(Level.Trial)
        public void stop() {
            gateway.stop();
            upstream.stop(0);
            upstreamExecutor.shutdownNow();
        }
    }

    /** One keep-alive connection to the gateway and one to the upstream per benchmark thread. */
    @State(Scope.Thread)
    public static class Connection {
        KeepAliveClient toGateway;
        KeepAliveClient toUpstream;
        byte[] gatewayPush;
        byte[] gatewayQuery;
        byte[] upstreamPush;

        @Setup(Level.Trial)
        public void open(Servers servers) throws IOException {
            byte[] body = new byte[1024];
            int gatewayPort = servers.gateway.port();
            int upstreamPort = servers.upstream.getAddress().getPort();
            toGateway = new KeepAliveClient(gatewayPort);
            toUpstream = new KeepAliveClient(upstreamPort);
            gatewayPush = KeepAliveClient.request("POST", "/api/v1/push", gatewayPort, servers.token, body);
            gatewayQuery = KeepAliveClient.request("GET", "/prometheus/api/v1/query?query=up", gatewayPort, servers.token,
                    new byte[0]);
            upstreamPush = KeepAliveClient.request("POST", "/api/v1/push", upstreamPort, servers.token, body);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            toGateway.close();
            toUpstream.close();
        }
    }

    @Benchmark
    public int gatewayPush1KiB(Connection connection) throws IOException {
        return expectOk(connection.toGateway.exchange(connection.gatewayPush));
    }

    @Benchmark
    public int gatewayQuery(Connection connection) throws IOException {
        return expectOk(connection.toGateway.exchange(connection.gatewayQuery));
    }

    /** Baseline: the same push straight to the upstream, no gateway in between. */
    @Benchmark
    public int upstreamDirectPush1KiB(Connection connection) throws IOException {
        return expectOk(connection.toUpstream.exchange(connection.upstreamPush));
    }

    private static int expectOk(int status) {
        if (status != 200) {
            throw new IllegalStateException("expected 200, got " + status);
        }
        return status;
    }

    private static void answerOk(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
            byte[] ok = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
        }
    }
}

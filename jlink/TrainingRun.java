import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the gateway on the jlink image once, the way production uses it, so the JVM can write its
 * class archive at exit; and fails the build when the image cannot do that job. Run with the
 * build JDK in source-file mode:
 *
 * <pre>java jlink/TrainingRun.java [--tls | --startup-only] IMAGE WORKDIR [JVM options for the gateway, e.g. -XX:DumpLoadedClassList=...]</pre>
 *
 * With {@code --startup-only} the gateway is only started, probed until ready and stopped: the
 * build records the class list of the CDS archive this way, so the archive holds what start-up
 * needs and nothing more.
 * Upstreams are plain HTTP, like most deployments (the build trains the archive this way). With
 * {@code --tls} the distributor is HTTPS with an EC P-256 certificate and the query-frontend HTTPS
 * with an RSA-2048 one (trusted through {@code -Djavax.net.ssl.trustStore}): that proves the module
 * list carries TLS and EC/RSA signature checks, not only HTTP. Every upstream must see the token's
 * tenant in {@code X-Scope-OrgID}.
 */
public final class TrainingRun {

    private static final String SECRET = "training-secret";
    private static final String STORE_PASSWORD = "training";

    private final Map<String, String> seenTenants = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        boolean tls = args.length > 0 && args[0].equals("--tls");
        boolean startupOnly = args.length > 0 && args[0].equals("--startup-only");
        List<String> rest = List.of(args).subList(tls || startupOnly ? 1 : 0, args.length);
        if (rest.size() < 2) {
            System.err.println("usage: TrainingRun [--tls | --startup-only] IMAGE WORKDIR [gateway JVM options...]");
            System.exit(2);
        }
        Path image = Path.of(rest.get(0));
        Path work = Files.createDirectories(Path.of(rest.get(1)));
        System.exit(new TrainingRun().run(tls, startupOnly, image, work, rest.subList(2, rest.size())));
    }

    private int run(boolean tls, boolean startupOnly, Path image, Path work, List<String> jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(jvmOptions);
        HttpServer distributor;
        HttpServer queryFrontend;
        if (tls) {
            Path keystore = work.resolve("upstream-tls.p12");
            if (!Files.exists(keystore)) {
                keytool(keystore, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
                keytool(keystore, "rsa", "-keyalg", "RSA", "-keysize", "2048");
            }
            distributor = httpsUpstream("distributor", keystore, "ec");
            queryFrontend = httpsUpstream("query-frontend", keystore, "rsa");
            options.addAll(List.of("-Djavax.net.ssl.trustStore=" + keystore,
                    "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD));
        } else {
            distributor = httpUpstream("distributor");
            queryFrontend = httpUpstream("query-frontend");
        }
        HttpServer ruler = httpUpstream("ruler");
        // Traces go to an OTLP receiver on the ruler's server, except in the start-up-only run,
        // whose class list must be that of a plain start (tracing is off by default).
        AtomicInteger traceExports = new AtomicInteger();
        ruler.createContext("/v1/traces", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                traceExports.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        Map<String, String> environment = startupOnly ? Map.of()
                : Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + ruler.getAddress().getPort());
        int port = freePort();
        Process gateway = startGateway(image, work, options, port, Map.of(
                "distributor", base(distributor), "query-frontend", base(queryFrontend), "ruler", base(ruler)), environment);
        List<String> failures = new ArrayList<>();
        try {
            awaitReady(gateway, port);
            if (!startupOnly) {
                exercise(port, failures);
            }
        } finally {
            gateway.destroy(); // SIGTERM: the gateway drains and exits 0, and the JVM writes its archive
            if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
                failures.add("gateway did not exit within 60s of SIGTERM");
            } else if (gateway.exitValue() != 0) {
                failures.add("gateway exited with " + gateway.exitValue() + " after SIGTERM");
            } else if (!startupOnly && traceExports.get() == 0) {
                failures.add("no OTLP trace export reached the receiver (the gateway flushes its spans at exit)");
            }
            distributor.stop(0);
            queryFrontend.stop(0);
            ruler.stop(0);
        }
        if (!failures.isEmpty()) {
            failures.forEach(failure -> System.err.println("training run: " + failure));
            System.err.println("training run: gateway log in " + work.resolve("gateway.log"));
            return 1;
        }
        return 0;
    }

    private void exercise(int port, List<String> failures) throws Exception {
        String token = token("training");
        expect(failures, port, "GET", "/health", null, 200);
        expect(failures, port, "POST", "/api/v1/push", token, 200);
        expect(failures, port, "GET", "/prometheus/api/v1/query?query=up", token, 200);
        expect(failures, port, "GET", "/prometheus/config/v1/rules", token, 200);
        expect(failures, port, "POST", "/api/v1/push", null, 401);
        expect(failures, port, "POST", "/api/v1/push", token("training") + "x", 401);
        expect(failures, port, "GET", "/no/such/route", token, 404);
        for (String upstream : List.of("distributor", "query-frontend", "ruler")) {
            if (!"training".equals(seenTenants.get(upstream))) {
                failures.add(upstream + " saw X-Scope-OrgID " + seenTenants.get(upstream) + ", expected training");
            }
        }
    }

    private void expect(List<String> failures, int port, String method, String path, String token, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("sample 1")
                        : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        int actual = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (actual != status) {
            failures.add(method + " " + path + " answered " + actual + ", expected " + status);
        }
    }

    private void awaitReady(Process gateway, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("gateway exited early with " + gateway.exitValue());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("gateway not ready within 30s");
    }

    private static Process startGateway(Path image, Path work, List<String> jvmOptions, int port,
                                        Map<String, String> upstreams, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(image.resolve("bin/java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", image.resolve("app/auth-gateway.jar").toString(), "io.authgateway.Main", "mimir",
                "-server.http-listen-address=127.0.0.1", "-server.http-listen-port=" + port,
                "-server.graceful-shutdown-timeout=5s", "-gateway.auth.jwt-secret=" + SECRET));
        upstreams.forEach((name, address) -> command.add("-gateway." + name + ".address=" + address));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile())
                .start();
    }

    private static String base(HttpServer server) {
        // localhost, not 127.0.0.1: the certificates name both, and the name check is part of the proof
        return (server instanceof HttpsServer ? "https" : "http") + "://localhost:" + server.getAddress().getPort();
    }

    private HttpServer httpUpstream(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> answer(exchange, name));
        server.start();
        return server;
    }

    private HttpsServer httpsUpstream(String name, Path keystore, String alias) throws Exception {
        KeyStore all = KeyStore.getInstance(keystore.toFile(), STORE_PASSWORD.toCharArray());
        KeyStore one = KeyStore.getInstance("PKCS12");
        one.load(null, null);
        one.setEntry(alias, all.getEntry(alias, new KeyStore.PasswordProtection(STORE_PASSWORD.toCharArray())),
                new KeyStore.PasswordProtection(STORE_PASSWORD.toCharArray()));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(one, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> answer(exchange, name));
        server.start();
        return server;
    }

    private void answer(HttpExchange exchange, String name) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
            seenTenants.put(name, tenant == null ? "(none)" : tenant);
            byte[] body = ("hello from " + name).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void keytool(Path keystore, String alias, String... keyOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                "-alias", alias, "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650"));
        command.addAll(List.of(keyOptions));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static String token(String tenant) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(("{\"tenant_id\":\"" + tenant + "\"}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.authgateway.cli;

import com.google.gson.JsonObject;
import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.auth.HmacTokenSigner;
import io.authgateway.config.AuthFlags;
import io.authgateway.config.AuthSettings;
import io.authgateway.config.ConfigLoader;
import io.authgateway.config.GatewayConfig;
import io.authgateway.config.LoadResult;
import io.authgateway.routing.Mode;
import io.authgateway.demo.DemoIntro;
import io.authgateway.demo.EchoUpstreams;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.gateway.Gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * {@code <binary> demo [flags]}: the gateway on a free loopback port in front of an echo upstream
 * per component, a token for tenant {@code demo}, and three {@code curl} commands to paste; each
 * request an echo upstream gets prints one line. Runs until the termination signal, then stops
 * the gateway and the echo upstreams. Flags given after {@code demo} come after the demo's own, so
 * the user's win. Exit codes: 0 after the stop or {@code -help}, 1 for bad flags or a failed start.
 */
public final class DemoCommand {

    private static final String TENANT = "demo";
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final Mode mode;
    private final Map<String, String> env;
    private final Clock clock;

    /** @param env the process environment, for the secret variable and the tracing variables */
    public DemoCommand(Mode mode, Map<String, String> env, Clock clock) {
        this.mode = mode;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /**
     * Runs the demo until the action handed to {@code onTermination} is called (by a signal handler
     * in production, by the test directly).
     */
    public int run(List<String> args, PrintStream out, PrintStream err, Consumer<Runnable> onTermination) {
        CountDownLatch stopSignal = new CountDownLatch(1);
        onTermination.accept(stopSignal::countDown);
        Log startLog = new Log(LogLevel.INFO, LogFormat.LOGFMT, err, Clock.systemUTC());
        String secret = randomSecret();
        try (EchoUpstreams echoes = EchoUpstreams.start(mode.upstreams(), out)) {
            return switch (new ConfigLoader(mode, env).load(flags(echoes, secret, args))) {
                case LoadResult.HelpRequested help -> {
                    out.print(usage(help.usage()));
                    yield 0;
                }
                case LoadResult.Invalid invalid -> {
                    invalid.problems().forEach(problem -> startLog.error("invalid configuration", "err", problem));
                    err.println(mode.binaryName() + " demo: " + invalid.problems().size()
                            + " configuration problem(s), run with -help for the list of flags");
                    yield 1;
                }
                case LoadResult.Loaded loaded -> serve(loaded, echoes, secret, out, err, stopSignal);
            };
        } catch (IOException e) {
            startLog.error("error starting the echo upstreams", "err", e.toString());
            return 1;
        }
    }

    /** The demo's flags first, the user's after them: the flag parser keeps the last occurrence. */
    private static List<String> flags(EchoUpstreams echoes, String secret, List<String> userFlags) {
        List<String> flags = new ArrayList<>(List.of("-server.http-listen-address=127.0.0.1", "-server.http-listen-port=0",
                "-" + AuthFlags.SECRET + "=" + secret));
        flags.addAll(echoes.addressFlags());
        flags.addAll(userFlags);
        return flags;
    }

    private int serve(LoadResult.Loaded loaded, EchoUpstreams echoes, String secret, PrintStream out, PrintStream err,
                      CountDownLatch stopSignal) {
        GatewayConfig config = loaded.config();
        Log log = new Log(config.log().level(), config.log().format(), err, Clock.systemUTC());
        loaded.warnings().forEach(warning -> log.warn(warning));
        log.info("Starting " + mode.displayName() + " Auth Gateway demo");
        Gateway gateway;
        try {
            gateway = Gateway.start(config, log, env);
        } catch (IOException | RuntimeException e) {
            log.error("error starting server", "err", e.toString());
            return 1;
        }
        try {
            new DemoIntro(mode, gatewayBase(config, gateway.port()), echoes.all(), TENANT, config.auth().tenantIdClaim(),
                    token(config.auth(), secret), clock.instant()).print(out);
            stopSignal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            gateway.stop();
        }
        return 0;
    }

    /**
     * Signed with the secret the gateway verifies with: the demo's own unless the user passed
     * another, so the printed token works either way.
     */
    private String token(AuthSettings auth, String demoSecret) {
        String secret = auth.jwtSecrets().isEmpty() ? demoSecret : auth.jwtSecrets().getFirst();
        long now = clock.instant().getEpochSecond();
        JsonObject claims = new JsonObject();
        claims.addProperty(auth.tenantIdClaim(), TENANT);
        claims.addProperty("iat", now);
        claims.addProperty("exp", now + TOKEN_LIFETIME.toSeconds());
        return new HmacTokenSigner(HmacAlgorithm.HS256, secret.getBytes(StandardCharsets.UTF_8)).sign(claims);
    }

    /** A fresh secret per run: a token from one demo is worthless to any other gateway. */
    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Where curl reaches the gateway: a wildcard listen address is reached on loopback. */
    private static URI gatewayBase(GatewayConfig config, int port) {
        String host = config.server().listenAddress();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port + config.server().pathPrefix());
    }

    private String usage(String gatewayUsage) {
        return "usage: " + mode.binaryName() + " demo [flags...]\n\n"
                + "Starts the gateway on a free loopback port in front of an echo upstream per component, prints a\n"
                + "token for tenant " + TENANT + " and three curl commands to try, and one line per request an upstream\n"
                + "gets. The demo sets the listen address and port, the JWT secret and the upstream addresses;\n"
                + "flags given here come after those and win.\n\n"
                + gatewayUsage;
    }
}

package io.authgateway;

import io.authgateway.cli.DemoCommand;
import io.authgateway.cli.TokenCommand;
import io.authgateway.config.ConfigLoader;
import io.authgateway.config.GatewayConfig;
import io.authgateway.config.LoadResult;
import io.authgateway.routing.Mode;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import io.authgateway.gateway.Gateway;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point: {@code Main <mimir|loki> [flags...]}, or {@code Main <mimir|loki> token [flags...]}
 * for the token command ({@link TokenCommand}), or {@code Main <mimir|loki> demo [flags...]} for the demo
 * ({@link DemoCommand}). Owns the exit code: 0 after a clean shutdown or
 * {@code -help}, 1 for bad flags or a failed start, 2 for a bad mode.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: Main <mimir|loki> [flags...]");
            return 2;
        }
        Mode mode;
        try {
            mode = Mode.parse(args[0]);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (!rest.isEmpty() && rest.getFirst().equals("token")) {
            return new TokenCommand(mode, System.getenv(), Clock.systemUTC(), System.in).run(rest.subList(1, rest.size()), out, err);
        }
        if (!rest.isEmpty() && rest.getFirst().equals("demo")) {
            return new DemoCommand(mode, System.getenv(), Clock.systemUTC()).run(rest.subList(1, rest.size()), out, err,
                    Signals::onTermination);
        }
        return switch (new ConfigLoader(mode).load(rest)) {
            case LoadResult.HelpRequested help -> {
                out.print(help.usage());
                yield 0;
            }
            case LoadResult.Invalid invalid -> {
                Log log = Log.stderr(LogLevel.INFO, LogFormat.LOGFMT);
                invalid.problems().forEach(problem -> log.error("invalid configuration", "err", problem));
                err.println(mode.binaryName() + ": " + invalid.problems().size()
                        + " configuration problem(s), run with -help for the list of flags");
                yield 1;
            }
            case LoadResult.Loaded loaded -> serve(loaded.config(), loaded.warnings());
        };
    }

    private static int serve(GatewayConfig config, List<String> warnings) {
        Log log = Log.stderr(config.log().level(), config.log().format());
        warnings.forEach(warning -> log.warn(warning));
        log.info("Starting " + config.mode().displayName() + " Auth Gateway", "version", Version.text());
        CountDownLatch stopSignal = new CountDownLatch(1);
        Signals.onTermination(stopSignal::countDown);
        Gateway gateway;
        try {
            gateway = Gateway.start(config, log, System.getenv());
        } catch (IOException | RuntimeException e) {
            log.error("error starting server", "err", e.toString());
            return 1;
        }
        try {
            stopSignal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.stop();
        return 0;
    }
}

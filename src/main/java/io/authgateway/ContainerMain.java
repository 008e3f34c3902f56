package io.authgateway;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the container image, one image for both gateways:
 * {@code ContainerMain [mimir|loki] [flags...]}. The mode is the first argument when it is one,
 * else the {@code GATEWAY_MODE} environment variable. The listen port defaults to 8080 because a
 * non-root user cannot bind the Go default 80; a {@code -server.http-listen-port} flag given by the
 * operator still wins, as the last occurrence of a flag does.
 */
public final class ContainerMain {

    static final String PORT_FLAG = "-server.http-listen-port=8080";

    private ContainerMain() {
    }

    public static void main(String[] args) {
        List<String> arguments = arguments(List.of(args), System.getenv("GATEWAY_MODE"));
        if (arguments.isEmpty()) {
            System.err.println("auth-gateway: no mode, set GATEWAY_MODE=mimir|loki or give mimir or loki as first argument");
            System.exit(2);
        }
        System.exit(Main.run(arguments.toArray(String[]::new), System.out, System.err));
    }

    /** The arguments for {@link Main}, or an empty list when neither the arguments nor the environment name a mode. */
    static List<String> arguments(List<String> args, String environmentMode) {
        List<String> arguments = new ArrayList<>();
        List<String> flags = args;
        if (!args.isEmpty() && !args.getFirst().startsWith("-")) {
            arguments.add(args.getFirst());
            flags = args.subList(1, args.size());
        } else if (environmentMode != null && !environmentMode.isBlank()) {
            arguments.add(environmentMode.strip());
        } else {
            return List.of();
        }
        arguments.add(PORT_FLAG);
        arguments.addAll(flags);
        return List.copyOf(arguments);
    }
}

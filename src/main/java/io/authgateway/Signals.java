package io.authgateway;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT start a graceful shutdown that ends with exit code 0, as the Go gateways do.
 * A plain JVM shutdown hook cannot do that (the exit status would be 143), hence
 * {@code sun.misc.Signal} from {@code jdk.unsupported}.
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> action.run());
        }
    }
}

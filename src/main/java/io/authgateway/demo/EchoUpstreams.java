package io.authgateway.demo;

import io.authgateway.routing.Upstream;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One {@link EchoUpstream} per component of a mode, started and closed together. */
public final class EchoUpstreams implements AutoCloseable {

    private final List<EchoUpstream> echoes;

    private EchoUpstreams(List<EchoUpstream> echoes) {
        this.echoes = List.copyOf(echoes);
    }

    /** Starts them all, or none: a listener that fails to start closes those already started. */
    public static EchoUpstreams start(List<Upstream> components, PrintStream lines) throws IOException {
        List<EchoUpstream> started = new ArrayList<>();
        try {
            for (Upstream component : components) {
                started.add(EchoUpstream.start(component, lines));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(EchoUpstream::close);
            throw e;
        }
        return new EchoUpstreams(started);
    }

    /** In the mode's flag order. */
    public List<EchoUpstream> all() {
        return echoes;
    }

    /** The {@code -gateway.<component>.address} flags that point the gateway at these listeners. */
    public List<String> addressFlags() {
        return echoes.stream().map(echo -> "-" + echo.component().flagName() + "=" + echo.base()).toList();
    }

    @Override
    public void close() {
        echoes.forEach(EchoUpstream::close);
    }
}

package io.authgateway.bench;

import com.sun.net.httpserver.Headers;
import io.authgateway.upstream.ProxyHeaders;
import io.authgateway.upstream.UpstreamUris;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Building what goes upstream for one push: the target URI ({@link UpstreamUris#resolve}), the
 * forwarded headers ({@link ProxyHeaders#forRequest}, hop-by-hop removal and the X-Scope-OrgID
 * overwrite), and both into a {@code java.net.http.HttpRequest} as the JDK-client transport does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpstreamRequestBenchmark {

    private final URI base = URI.create("http://distributor.mimir.svc:8080");
    private final URI baseWithPath = URI.create("http://query-frontend.mimir.svc:8080/prefix/");
    private Headers clientHeaders;

    @Setup
    public void setUp() {
        clientHeaders = Fixtures.pushHeaders(Fixtures.token());
    }

    @Benchmark
    public URI resolvePushUri() {
        return UpstreamUris.resolve(base, "/api/v1/push", null);
    }

    @Benchmark
    public URI resolveQueryUri() {
        return UpstreamUris.resolve(baseWithPath, "/prometheus/api/v1/query_range",
                "query=sum%28rate%28up%5B5m%5D%29%29&start=1700000000&end=1700003600&step=15");
    }

    @Benchmark
    public void forwardHeaders(Blackhole sink) {
        ProxyHeaders.forRequest(clientHeaders, Fixtures.TENANT, "127.0.0.1", Set.of(), (name, value) -> {
            sink.consume(name);
            sink.consume(value);
        });
    }

    /** URI and headers into an {@code HttpRequest} (body publisher left out: it wraps the live stream). */
    @Benchmark
    public HttpRequest buildJdkRequest() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(UpstreamUris.resolve(base, "/api/v1/push", null))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.noBody());
        ProxyHeaders.forRequest(clientHeaders, Fixtures.TENANT, "127.0.0.1", Set.of(), builder::header);
        return builder.build();
    }
}

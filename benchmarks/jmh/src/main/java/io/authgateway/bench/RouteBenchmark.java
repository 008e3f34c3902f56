package io.authgateway.bench;

import io.authgateway.routing.Mode;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@link RouteTable#match} for paths that hit early, late and not at all in the Mimir and Loki
 * tables (the table is scanned in order). Issue 8 target: &lt; 100 ns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteBenchmark {

    /** mode:path. */
    @Param({
            "mimir:/api/v1/push",
            "mimir:/prometheus/api/v1/query_range",
            "mimir:/api/prom/api/v1/query",
            "mimir:/no/such/route",
            "loki:/loki/api/v1/push",
            "loki:/loki/api/v1/query_range",
    })
    public String modeAndPath;

    private RouteTable table;
    private String path;

    @Setup
    public void setUp() {
        int colon = modeAndPath.indexOf(':');
        Mode mode = Mode.parse(modeAndPath.substring(0, colon).toLowerCase(Locale.ROOT));
        table = RouteTable.forMode(mode, false);
        path = modeAndPath.substring(colon + 1);
    }

    @Benchmark
    public Route match() {
        return table.match(path);
    }
}

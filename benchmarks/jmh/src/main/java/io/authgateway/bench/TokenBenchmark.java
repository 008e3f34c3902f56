package io.authgateway.bench;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.ExtractedToken;
import io.authgateway.auth.HmacTokenVerifier;
import io.authgateway.auth.JwtTenantResolver;
import io.authgateway.auth.TenantIds;
import io.authgateway.auth.TokenExtractor;
import io.authgateway.auth.Verification;
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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The authentication step of every request, uncached: finding the token in the headers, verifying
 * the HS256 signature and the time claims, and checking the tenant claim. Issue 8 targets:
 * uncached verification &lt; 10 us. (A cached check needs the token cache, which does not exist
 * yet; see the TODO in benchmarks/README.md.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmark {

    private Headers headers;
    private String token;
    private TokenExtractor extractor;
    private HmacTokenVerifier verifier;
    private JwtTenantResolver resolver;
    private JsonObject claims;

    @Setup
    public void setUp() {
        token = Fixtures.token();
        headers = Fixtures.pushHeaders(token);
        extractor = new TokenExtractor(List.of());
        verifier = new HmacTokenVerifier(List.of(Fixtures.SECRET.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
        resolver = new JwtTenantResolver(extractor, verifier, Fixtures.TENANT_CLAIM);
        if (!(verifier.verify(token) instanceof Verification.Valid valid)) {
            throw new IllegalStateException("fixture token does not verify");
        }
        claims = valid.claims();
    }

    /** Finding the token in the request headers and stripping {@code Bearer }. */
    @Benchmark
    public ExtractedToken extractToken() {
        return extractor.extract(headers).orElseThrow();
    }

    /** HS256 signature plus exp/nbf/iat checks, as done on every request today (no cache). */
    @Benchmark
    public Verification verifyHs256Uncached() {
        return verifier.verify(token);
    }

    /** Extraction and uncached verification together. */
    @Benchmark
    public Verification extractAndVerifyUncached() {
        return verifier.verify(extractor.extract(headers).orElseThrow().token());
    }

    /** The tenant-claim checks on an already verified payload: present, a string, a valid tenant ID. */
    @Benchmark
    public String claimChecks() {
        var claim = claims.get(Fixtures.TENANT_CLAIM);
        String tenant = claim.getAsString();
        return TenantIds.problem(tenant) == null ? tenant : null;
    }

    /** The whole authentication step the handler calls: headers in, tenant out. */
    @Benchmark
    public AuthResult resolveTenant() {
        return resolver.resolve(headers);
    }
}

package io.authgateway.bench;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.ExtractedToken;
import io.authgateway.auth.ClaimValidator;
import io.authgateway.auth.HmacKeys;
import io.authgateway.auth.TokenVerifier;
import io.authgateway.config.ClaimRules;
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
 * The authentication step of every request: finding the token in the headers, verifying the HS256
 * signature and the time claims (uncached: every call misses the verified-token cache; cached: the
 * same token again), and checking the tenant claim. Issue 8 targets: uncached verification
 * &lt; 10 us, cached check &lt; 1 us.
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
    private TokenVerifier verifier;
    private TokenVerifier missingVerifier;
    private HmacKeys keysA;
    private HmacKeys keysB;
    private boolean flip;
    private JwtTenantResolver resolver;
    private JsonObject claims;

    @Setup
    public void setUp() {
        token = Fixtures.token();
        headers = Fixtures.pushHeaders(token);
        extractor = new TokenExtractor(List.of());
        HmacKeys keys = HmacKeys.of(List.of(Fixtures.SECRET));
        verifier = new TokenVerifier(() -> keys, java.util.Optional.empty(), new ClaimValidator(ClaimRules.GO_DEFAULTS), 0,
                Clock.systemUTC());
        // Two key sets with the same secret, swapped on every call: the cache entry of the previous
        // call never matches, so every verification takes the full (miss) path, cache upkeep included.
        keysA = HmacKeys.of(List.of(Fixtures.SECRET));
        keysB = HmacKeys.of(List.of(Fixtures.SECRET));
        missingVerifier = new TokenVerifier(() -> (flip = !flip) ? keysA : keysB, java.util.Optional.empty(),
                new ClaimValidator(ClaimRules.GO_DEFAULTS), 0, Clock.systemUTC());
        resolver = new JwtTenantResolver(extractor, verifier, Fixtures.TENANT_CLAIM, false);
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

    /** HS256 signature plus header/payload JSON and exp/nbf/iat checks: a cache miss. */
    @Benchmark
    public Verification verifyHs256Uncached() {
        return missingVerifier.verify(token);
    }

    /** Extraction and uncached verification together. */
    @Benchmark
    public Verification extractAndVerifyUncached() {
        return missingVerifier.verify(extractor.extract(headers).orElseThrow().token());
    }

    /** The same token again: SHA-256 of the token, a map lookup and the time window check. */
    @Benchmark
    public Verification verifyHs256Cached() {
        return verifier.verify(token);
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

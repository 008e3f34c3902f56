package io.authgateway.bench;

import io.authgateway.auth.ClaimValidator;
import io.authgateway.auth.HmacKeys;
import io.authgateway.auth.RevokedTokens;
import io.authgateway.auth.TokenDigest;
import io.authgateway.auth.TokenVerifier;
import io.authgateway.auth.Verification;
import io.authgateway.config.ClaimRules;
import io.authgateway.config.RevokedTokensFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Revoking single tokens (issue 16) with a revocation list of 0, 1,000 and 100,000 entries (half
 * jtis, half sha256 digests): the cached token check with the list in force (the request path),
 * the list lookup alone, and a reload of the whole file (parse and build, off the request path).
 * The check must not grow with the list: two hash-set lookups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RevocationBenchmark {

    @Param({"0", "1000", "100000"})
    public int entries;

    private String token;
    private TokenDigest digest;
    private RevokedTokens revoked;
    private TokenVerifier verifier;
    private String file;

    @Setup
    public void setUp() {
        token = Fixtures.token();
        digest = TokenDigest.of(token);
        StringBuilder content = new StringBuilder("# revoked tokens\n");
        for (int i = 0; i < entries; i++) {
            content.append(i % 2 == 0 ? "jti-" + i : "sha256:" + TokenDigest.of("token-" + i).hex()).append('\n');
        }
        file = content.toString();
        RevokedTokensFile.Parsed parsed = RevokedTokensFile.parse(file);
        revoked = RevokedTokens.of(parsed.jtis(), parsed.sha256Hex());
        HmacKeys keys = HmacKeys.of(List.of(Fixtures.SECRET));
        verifier = new TokenVerifier(() -> keys, Optional.empty(), new ClaimValidator(ClaimRules.GO_DEFAULTS), 0,
                Clock.systemUTC(), () -> revoked);
        if (!(verifier.verify(token) instanceof Verification.Valid)) {
            throw new IllegalStateException("fixture token does not verify or is revoked");
        }
    }

    /** The request path: a cached HS256 token, then the revocation check against the list. */
    @Benchmark
    public Verification verifyCachedWithRevocationList() {
        return verifier.verify(token);
    }

    /** The revocation check alone: a jti lookup and a digest lookup, for a token not in the list. */
    @Benchmark
    public String revocationLookup() {
        return revoked.match("not-revoked-jti", digest);
    }

    /** A reload: parsing the file and building the list, done on the watcher thread, then swapped in. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RevokedTokens reloadWholeFile() {
        RevokedTokensFile.Parsed parsed = RevokedTokensFile.parse(file);
        return RevokedTokens.of(parsed.jtis(), parsed.sha256Hex());
    }
}

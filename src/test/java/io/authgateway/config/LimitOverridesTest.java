package io.authgateway.config;

import io.authgateway.routing.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The overrides file and the -gateway.limits.* flags. */
class LimitOverridesTest {

    private static final List<String> MINIMAL = List.of("-gateway.distributor.address=http://distributor:8080",
            "-gateway.query-frontend.address=http://query-frontend:8080", "-gateway.auth.jwt-secret=s3cret");
    private static final TenantLimits DEFAULTS = TenantLimits.UNLIMITED.with(Map.of(
            LimitKey.WRITE_REQUESTS_PER_SECOND, 100.0, LimitKey.MAX_INFLIGHT_REQUESTS, 50.0));

    @TempDir
    Path dir;

    @Test
    void anEntryOverridesOnlyTheKeysItNames() throws Exception {
        Map<String, TenantLimits> overrides = LimitOverrides.parse("""
                overrides:
                  tenant-a:
                    write_requests_per_second: 20
                    write_bytes_per_second: 4194304
                  "tenant-b": {read_requests_per_second: 0.5, read_burst: 3}
                  tenant-c:
                """, DEFAULTS);
        assertThat(overrides).containsOnlyKeys("tenant-a", "tenant-b", "tenant-c");
        assertThat(overrides.get("tenant-a")).isEqualTo(new TenantLimits(20, 0, 4194304, 0, 0, 50));
        assertThat(overrides.get("tenant-b")).isEqualTo(new TenantLimits(100, 0, 0, 0.5, 3, 50));
        assertThat(overrides.get("tenant-c")).isEqualTo(DEFAULTS);
        assertThat(LimitOverrides.parse("", DEFAULTS)).isEmpty();
        assertThat(LimitOverrides.parse("overrides:\n", DEFAULTS)).isEmpty();
    }

    @Test
    void everyProblemNamesItsLine() {
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a:\n    write_burst: ten\n", DEFAULTS))
                .hasMessage("line 3: write_burst of tenant \"a\": \"ten\" not a whole number");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a:\n    write_burst: 1\n    writes: 2\n", DEFAULTS))
                .hasMessageStartingWith("line 4: unknown limit \"writes\" for tenant \"a\" (expected one of write_requests_per_second,");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a:\n    read_requests_per_second: -1\n", DEFAULTS))
                .hasMessage("line 3: read_requests_per_second of tenant \"a\": \"-1\" must be 0 (unlimited) or more");
        assertThatThrownBy(() -> LimitOverrides.parse("limits:\n  a: {}\n", DEFAULTS))
                .hasMessage("line 1: unknown key \"limits\" (expected overrides)");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a: [1, 2]\n", DEFAULTS))
                .hasMessage("line 2: the entry of tenant \"a\" must be a mapping");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a:\n    write_burst: 1\n   read_burst: {\n", DEFAULTS))
                .hasMessageStartingWith("line 4: not valid YAML");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a: {}\n  a: {}\n", DEFAULTS))
                .hasMessage("line 3: tenant \"a\" named twice");
        assertThatThrownBy(() -> LimitOverrides.parse("overrides:\n  a: {read_burst: 1, read_burst: 2}\n", DEFAULTS))
                .hasMessage("line 2: read_burst named twice for tenant \"a\"");
    }

    @Test
    void flagsSetTheDefaultsAndTheStore() {
        List<String> args = new ArrayList<>(MINIMAL);
        args.addAll(List.of("-gateway.limits.write-requests-per-second=20", "-gateway.limits.write-bytes-per-second=4194304",
                "-gateway.limits.read-requests-per-second=2.5", "-gateway.limits.max-inflight-requests=8",
                "-gateway.limits.store=redis", "-gateway.limits.redis-address=127.0.0.1:6379",
                "-gateway.limits.redis-timeout=20ms", "-gateway.limits.redis-fail-open=false", "-gateway.limits.replicas-hint=3"));
        LimitSettings limits = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config().limits();
        assertThat(limits.defaults()).isEqualTo(new TenantLimits(20, 0, 4194304, 2.5, 0, 8));
        assertThat(limits.store()).isEqualTo(new LimitSettings.Store(LimitSettings.Store.Kind.REDIS, "127.0.0.1:6379",
                java.util.Optional.empty(), Duration.ofMillis(20), false, 3));
        LimitSettings defaults = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(MINIMAL)).config().limits();
        assertThat(defaults).isEqualTo(LimitSettings.unlimited());
    }

    @Test
    void badFlagsAndABrokenOverridesFileStopStartUpNamingTheFlagAndTheLine() throws Exception {
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, "overrides:\n  tenant-a:\n    write_burst: lots\n");
        List<String> args = new ArrayList<>(MINIMAL);
        args.addAll(List.of("-gateway.limits.read-requests-per-second=fast", "-gateway.limits.write-burst=-1",
                "-gateway.limits.store=memcached", "-gateway.limits.replicas-hint=0",
                "-gateway.limits.overrides-file=" + file));
        assertThat(((LoadResult.Invalid) new ConfigLoader(Mode.MIMIR).load(args)).problems()).containsExactly(
                "invalid value \"fast\" for flag -gateway.limits.read-requests-per-second: parse error, expected a number",
                "invalid value \"-1\" for flag -gateway.limits.write-burst: must be 0 (unlimited) or more",
                "-gateway.limits.overrides-file '" + file + "': line 3: write_burst of tenant \"tenant-a\": \"lots\" not a whole number",
                "invalid value \"memcached\" for flag -gateway.limits.store: expected local or redis",
                "invalid value \"0\" for flag -gateway.limits.replicas-hint: must be 1..10000");
        List<String> redis = new ArrayList<>(MINIMAL);
        redis.add("-gateway.limits.store=redis");
        assertThat(((LoadResult.Invalid) new ConfigLoader(Mode.MIMIR).load(redis)).problems()).containsExactly(
                "-gateway.limits.store=redis needs -gateway.limits.redis-address (host:port)");
    }
}

package io.authgateway.limits;

import io.authgateway.config.LimitKey;
import io.authgateway.config.TenantLimits;
import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reloading the overrides file, one poll at a time. */
class OverridesWatcherTest {

    private static final TenantLimits DEFAULTS = TenantLimits.UNLIMITED.with(Map.of(LimitKey.WRITE_BURST, 5.0));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final Log log = new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(logs, true, StandardCharsets.UTF_8),
            Clock.systemUTC());

    @Test
    void aChangeMadeBeforeTheWatcherStartedIsPickedUpByTheFirstPollAndAnUnchangedFileSwapsNothing() throws Exception {
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, "overrides:\n  a: {write_burst: 7}\n");
        OverridesWatcher watcher = new OverridesWatcher(file, DEFAULTS,
                Map.of("a", DEFAULTS.with(Map.of(LimitKey.WRITE_BURST, 6.0))), log); // read earlier, before a change
        watcher.reload();
        assertThat(watcher.get().forTenant("a").writeBurst()).isEqualTo(7);
        assertThat(watcher.get().forTenant("b")).isEqualTo(DEFAULTS);
        LimitTable loaded = watcher.get();
        watcher.reload();
        assertThat(watcher.get()).isSameAs(loaded);
        assertThat(logs.toString(StandardCharsets.UTF_8)).containsOnlyOnce("limits overrides reloaded");
    }

    @Test
    void aBrokenOrMissingFileKeepsTheLastGoodOverridesAndCountsEveryFailedPoll() throws Exception {
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, "overrides:\n  a: {write_burst: 7}\n");
        OverridesWatcher watcher = new OverridesWatcher(file, DEFAULTS, Map.of(), log);
        watcher.reload();
        Files.writeString(file, "overrides:\n  a: {write_burst: seven}\n");
        watcher.reload();
        watcher.reload();
        assertThat(watcher.failures()).isEqualTo(2);
        assertThat(watcher.get().forTenant("a").writeBurst()).isEqualTo(7);
        assertThat(logs.toString(StandardCharsets.UTF_8)).containsOnlyOnce("line 2: write_burst of tenant");
        Files.delete(file);
        watcher.reload();
        assertThat(watcher.failures()).isEqualTo(3);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("cannot read the file (NoSuchFileException)");
        Files.writeString(file, "overrides: {}\n");
        watcher.reload();
        assertThat(watcher.get().forTenant("a")).isEqualTo(DEFAULTS);
        assertThat(watcher.failures()).isEqualTo(3);
    }
}

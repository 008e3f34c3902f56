package io.authgateway.connection;

import io.authgateway.observability.Log;
import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class WriteStallWatchdogTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final WriteStallWatchdog watchdog = new WriteStallWatchdog(Duration.ofSeconds(30), now::get,
            new Log(LogLevel.DEBUG, LogFormat.LOGFMT, new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC()),
            false);
    private final AtomicInteger aborts = new AtomicInteger();

    /** An output stream whose writes take as long as the test says, on the fake clock. */
    private OutputStream taking(Duration perWrite) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                now.addAndGet(perWrite.toNanos());
                watchdog.check();
            }
        };
    }

    @Test
    void abortsAWriteStalledPastTheLimitOnce() throws IOException {
        var guard = watchdog.guard("/loki/api/v1/query_range", aborts::incrementAndGet);
        guard.wrap(taking(Duration.ofSeconds(31))).write(1);
        watchdog.check();
        assertThat(aborts).hasValue(1);
        assertThat(guard.fired()).isTrue();
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("msg=\"client write stalled, closing the connection\" limit=30s what=/loki/api/v1/query_range");
    }

    @Test
    void neverCutsAStreamThatKeepsFlowing() throws IOException {
        var guard = watchdog.guard("stream", aborts::incrementAndGet);
        OutputStream out = guard.wrap(taking(Duration.ofSeconds(20)));
        for (int i = 0; i < 100; i++) { // 2000 s of writing, none longer than the limit
            out.write(i);
            out.flush();
        }
        assertThat(aborts).hasValue(0);
    }

    @Test
    void neverCutsAnIdleStream() {
        watchdog.guard("idle tail", aborts::incrementAndGet);
        now.addAndGet(Duration.ofHours(5).toNanos());
        watchdog.check();
        assertThat(aborts).hasValue(0);
    }

    @Test
    void forgetsAClosedGuard() {
        var guard = watchdog.guard("done", aborts::incrementAndGet);
        assertThat(watchdog.watched()).isEqualTo(1);
        guard.close();
        assertThat(watchdog.watched()).isZero();
    }
}

package io.authgateway.observability;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {

    @Test
    void timestampsReadExactlyLikeInstantToString() {
        for (String text : new String[] {"2026-11-23T21:27:29Z", "2026-01-02T03:04:05.100Z", "2026-01-02T03:04:05.000100Z",
                "2026-01-02T03:04:05.000000001Z", "1999-12-31T23:59:59.999999999Z", "0999-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(Log.timestamp(instant)).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 8_000_000_000L), random.nextInt(1_000_000_000));
            assertThat(Log.timestamp(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void logfmtLinesCarryTheTimestampAndQuoteWhatNeedsIt() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T21:27:29.250Z"), ZoneOffset.UTC);
        Log log = new Log(LogLevel.INFO, LogFormat.LOGFMT, new PrintStream(buffer, true, StandardCharsets.UTF_8), clock);
        log.info("server listening", "http", "127.0.0.1:8080");
        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .isEqualTo("level=info ts=2026-11-23T21:27:29.250Z msg=\"server listening\" http=127.0.0.1:8080\n");
    }
}

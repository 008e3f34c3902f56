package io.authgateway.config;

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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolledFileTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(LogLevel.INFO, LogFormat.LOGFMT, new PrintStream(logged, true, StandardCharsets.UTF_8),
            Clock.systemUTC());

    private String logs() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Test
    void handsOutTheContentOnlyWhenItChangedSinceTheLastAcceptedOne() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "one");
        PolledFile file = new PolledFile(path, log, "file unusable", List::of);
        assertThat(file.changedContent()).isEqualTo("one");
        assertThat(file.changedContent()).as("not accepted yet: handed out again").isEqualTo("one");
        file.accepted("one");
        assertThat(file.changedContent()).isNull();
        Files.writeString(path, "two");
        assertThat(file.changedContent()).isEqualTo("two");
        assertThat(file.failures()).isZero();
    }

    @Test
    void countsEveryFailedPollLogsEachNewProblemOnceAndRereadsTheFixedFile() throws Exception {
        Path path = Files.writeString(dir.resolve("f"), "good");
        PolledFile file = new PolledFile(path, log, "file unusable, keeping the last", () -> List.of("in_use", 3));
        file.accepted("good");
        Files.delete(path);
        assertThat(file.changedContent()).isNull();
        assertThat(file.changedContent()).isNull();
        assertThat(file.failures()).isEqualTo(2);
        assertThat(logs().split("cannot read the file", -1)).as("one line for one problem").hasSize(2);
        assertThat(logs()).contains("level=error", "file unusable, keeping the last", "in_use=3");

        Files.writeString(path, "good");
        assertThat(file.changedContent()).as("the same content, read again after a failure").isEqualTo("good");
        file.failed("bad entry on line 1");
        assertThat(file.failures()).isEqualTo(3);
        assertThat(logs()).contains("err=\"bad entry on line 1\"");
    }
}

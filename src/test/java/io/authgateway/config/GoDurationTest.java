package io.authgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({"30s,30000", "2m,120000", "1h30m,5400000", "1.5h,5400000", "300ms,300", "0,0", "1m30s,90000",
            "2h45m10.5s,9910500", "+5s,5000"})
    void parsesGoDurations(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void parsesMicrosAndNanos() {
        assertThat(GoDuration.parse("1500us")).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "10x", "1.2.3s", "m5", ".s", "30 s"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration");
    }

    @ParameterizedTest
    @CsvSource({"30000,30s", "120000,2m0s", "3600000,1h0m0s", "500,500ms", "0,0s", "90500,1m30.5s"})
    void formatsLikeGo(long millis, String text) {
        assertThat(GoDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}

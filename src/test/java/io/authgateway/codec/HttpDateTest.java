package io.authgateway.codec;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HttpDateTest {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void formatsImfFixdateLikeAFormatterWould() {
        assertThat(HttpDate.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long second = random.nextLong(4_102_444_800L); // up to 2100
            assertThat(HttpDate.format(second)).isEqualTo(IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
        }
    }

    @Test
    void nowIsTheCurrentSecond() {
        long before = System.currentTimeMillis() / 1000;
        String now = new HttpDate().now();
        long after = System.currentTimeMillis() / 1000;
        assertThat(now).isIn(HttpDate.format(before), HttpDate.format(after));
    }
}

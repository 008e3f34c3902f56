package io.authgateway.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Reads and prints durations the way Go's {@code time.ParseDuration} and {@code Duration.String}
 * do ({@code 300ms}, {@code 1.5h}, {@code 2h45m}), so existing manifests keep working.
 */
public final class GoDuration {

    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** Parses a Go duration; throws {@link IllegalArgumentException} naming the text if it is not one. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == numberStart) {
                throw invalid(text);
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
            if (unit == null || number.equals(".")) {
                throw invalid(text);
            }
            try {
                totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        Duration d = Duration.ofNanos(totalNanos.longValueExact());
        return negative ? d.negated() : d;
    }

    /** Prints a duration as Go would ({@code 30s}, {@code 2m0s}, {@code 1h0m0s}, {@code 500ms}). */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 && !d.isNegative()) {
            long nanos = d.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            return nanos + "ns";
        }
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append('h');
        }
        if (d.toHours() > 0 || d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        out.append(d.toSecondsPart());
        int millis = d.toMillisPart();
        if (millis > 0) {
            out.append('.').append(String.format("%03d", millis).replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
}

package io.authgateway.codec;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The {@code Date} response header (IMF-fixdate, RFC 9110 §5.6.7), formatted at most once per
 * second and shared by every response of that second.
 */
public final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private record Formatted(long second, String text) {
    }

    private volatile Formatted current = new Formatted(Long.MIN_VALUE, "");

    public String now() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        Formatted formatted = current;
        if (formatted.second() != second) {
            formatted = new Formatted(second, format(second));
            current = formatted;
        }
        return formatted.text();
    }

    static String format(long epochSecond) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        DayOfWeek day = time.getDayOfWeek();
        StringBuilder text = new StringBuilder(29).append(DAYS[day.ordinal()]).append(", ");
        twoDigits(text, time.getDayOfMonth()).append(' ').append(MONTHS[time.getMonthValue() - 1]).append(' ')
                .append(time.getYear()).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        return twoDigits(text, time.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}

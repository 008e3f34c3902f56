package io.authgateway.observability;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Structured logger writing one line per event to stderr, in logfmt or JSON, with the fields the
 * Go gateways used ({@code level}, {@code ts}, {@code msg}, then key/value pairs). Immutable and
 * safe to share; callers pass it in rather than reaching for a global.
 */
public final class Log {

    private final LogLevel threshold;
    private final LogFormat format;
    private final PrintStream out;
    private final Clock clock;

    public Log(LogLevel threshold, LogFormat format, PrintStream out, Clock clock) {
        this.threshold = threshold;
        this.format = format;
        this.out = out;
        this.clock = clock;
    }

    public static Log stderr(LogLevel threshold, LogFormat format) {
        return new Log(threshold, format, System.err, Clock.systemUTC());
    }

    /** An exception as a log field: its type and message, never a stack trace. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    public boolean enabled(LogLevel level) {
        return level.compareTo(threshold) >= 0;
    }

    public void debug(String msg, Object... keyValues) {
        log(LogLevel.DEBUG, msg, keyValues);
    }

    public void info(String msg, Object... keyValues) {
        log(LogLevel.INFO, msg, keyValues);
    }

    public void warn(String msg, Object... keyValues) {
        log(LogLevel.WARN, msg, keyValues);
    }

    public void error(String msg, Object... keyValues) {
        log(LogLevel.ERROR, msg, keyValues);
    }

    /** Writes one line; {@code keyValues} alternates names and values, null values are skipped. */
    public void log(LogLevel level, String msg, Object... keyValues) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(128);
        Instant now = clock.instant();
        if (format == LogFormat.JSON) {
            line.append('{');
            appendJson(line, "level", level.label(), true);
            appendJson(line, "ts", timestamp(now), false);
            appendJson(line, "msg", msg, false);
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                if (keyValues[i + 1] != null) {
                    appendJson(line, String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]), false);
                }
            }
            line.append('}');
        } else {
            line.append("level=").append(level.label()).append(" ts=").append(timestamp(now));
            appendLogfmt(line, "msg", msg);
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                if (keyValues[i + 1] != null) {
                    appendLogfmt(line, String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
                }
            }
        }
        line.append('\n');
        out.print(line);
    }

    /**
     * The instant as {@link Instant#toString()} writes it (UTC, fraction in groups of three digits),
     * without java.time.format: the first log line would otherwise load and run its formatter
     * machinery while the gateway starts.
     */
    static String timestamp(Instant now) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return now.toString();
        }
        StringBuilder text = new StringBuilder(30);
        text.append(t.getYear()).append('-');
        twoDigits(text, t.getMonthValue()).append('-');
        twoDigits(text, t.getDayOfMonth()).append('T');
        twoDigits(text, t.getHour()).append(':');
        twoDigits(text, t.getMinute()).append(':');
        twoDigits(text, t.getSecond());
        int nano = now.getNano();
        if (nano > 0) {
            String digits = Integer.toString(1_000_000_000 + nano).substring(1);
            int length = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            text.append('.').append(digits, 0, length);
        }
        return text.append('Z').toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void appendLogfmt(StringBuilder line, String key, String value) {
        line.append(' ').append(key).append('=');
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '=' || c == '"' || c == 0x7f;
        }
        if (!quote) {
            line.append(value);
            return;
        }
        line.append('"');
        escape(line, value);
        line.append('"');
    }

    private static void appendJson(StringBuilder line, String key, String value, boolean first) {
        if (!first) {
            line.append(',');
        }
        line.append('"');
        escape(line, key);
        line.append("\":\"");
        escape(line, value);
        line.append('"');
    }

    /** JSON string escaping, shared with the audit line; a value with nothing to escape is copied whole. */
    static void escape(StringBuilder line, String value) {
        int clean = 0;
        while (clean < value.length()) {
            char c = value.charAt(clean);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                break;
            }
            clean++;
        }
        line.append(value, 0, clean);
        for (int i = clean; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
    }
}

package io.authgateway.observability;

/** Severity of a log line; {@code -log.level} drops everything below the configured one. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LogLevel parse(String text) {
        return switch (text) {
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn", "warning" -> WARN;
            case "error" -> ERROR;
            default -> throw new IllegalArgumentException("unknown log level " + text);
        };
    }
}

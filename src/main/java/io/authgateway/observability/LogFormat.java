package io.authgateway.observability;

/** Line format of the log: go-kit style logfmt or one JSON object per line. */
public enum LogFormat {
    LOGFMT, JSON;

    public static LogFormat parse(String text) {
        return switch (text) {
            case "logfmt" -> LOGFMT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("unknown log format " + text);
        };
    }
}

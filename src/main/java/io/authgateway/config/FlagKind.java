package io.authgateway.config;

/** How a flag's text value is read. */
public enum FlagKind {
    STRING,
    BOOL,
    INT,
    /** A decimal number such as {@code 0.5} (Go's float64 flags). */
    FLOAT,
    /** A Go duration such as {@code 30s}, {@code 2m}, {@code 1h30m}. */
    DURATION,
    /** A string that may be given several times; every value is kept in order. */
    LIST,
    /** Accepted for compatibility with the Go binaries and otherwise ignored (gRPC settings). */
    IGNORED
}

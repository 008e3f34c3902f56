package io.authgateway.config;

import io.authgateway.observability.LogFormat;
import io.authgateway.observability.LogLevel;

/** Log verbosity and line format ({@code -log.level}, {@code -log.format}). */
public record LogSettings(LogLevel level, LogFormat format) {
}

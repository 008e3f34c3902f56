package io.authgateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code -gateway.audit-log}: off (unset, the default), standard output ({@code -}) or a file the
 * lines are appended to.
 *
 * @param enabled whether an audit line is written for each request on a proxied route
 * @param file    the file; empty with {@code enabled} means standard output
 */
public record AuditSettings(boolean enabled, Optional<Path> file) {

    public static final String FLAG = "gateway.audit-log";
    public static final AuditSettings OFF = new AuditSettings(false, Optional.empty());
}

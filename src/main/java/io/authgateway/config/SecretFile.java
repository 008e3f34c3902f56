package io.authgateway.config;

import java.util.List;

/**
 * The format of {@code -gateway.auth.jwt-secret-file}: one secret per line; blank lines and lines
 * starting with {@code #} are ignored; surrounding whitespace (including a Windows {@code \r} or the
 * newline a Kubernetes secret ends with) is not part of a secret.
 */
public final class SecretFile {

    private SecretFile() {
    }

    public static List<String> parse(String content) {
        return content.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
}

package io.authgateway.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The format of {@code -gateway.auth.revoked-tokens-file}: one entry per line, blank lines and
 * lines starting with {@code #} ignored, surrounding whitespace dropped. An entry is a token id
 * (the {@code jti} claim) or {@code sha256:} and the 64 hex digits of the SHA-256 of the whole
 * compact token, for tokens minted without a {@code jti}. A {@code sha256:} entry that is not 64
 * hex digits is a problem: a typo must not silently leave a leaked token valid.
 */
public final class RevokedTokensFile {

    public static final String SHA256_PREFIX = "sha256:";

    /** The entries of one version of the file, and what is wrong with it (each naming its line). */
    public record Parsed(Set<String> jtis, Set<String> sha256Hex, List<String> problems) {
        public Parsed {
            problems = List.copyOf(problems);
        }
    }

    private RevokedTokensFile() {
    }

    public static Parsed parse(String content) {
        Set<String> jtis = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int number = 0;
        for (String raw : (Iterable<String>) content.lines()::iterator) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())) {
                jtis.add(line);
                continue;
            }
            String hex = line.substring(SHA256_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (!isSha256Hex(hex)) {
                problems.add("line " + number + ": sha256: must be followed by 64 hex digits");
            } else {
                hashes.add(hex);
            }
        }
        return new Parsed(jtis, hashes, problems);
    }

    /** 64 hex digits (the entry is already lower-cased). */
    private static boolean isSha256Hex(String hex) {
        return hex.length() == 64 && hex.chars().allMatch(HexFormat::isHexDigit);
    }
}

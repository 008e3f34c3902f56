package io.authgateway.config;

import io.authgateway.codec.HttpSyntax;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the authentication flags ({@link AuthFlags}) into {@link AuthSettings}, adding every
 * problem to a shared list. Also used piecewise by the {@code token} command, so minting and
 * checking tokens follows the gateway's own rules.
 */
public final class AuthSettingsLoader {

    private final ParsedFlags flags;
    private final Map<String, String> env;
    private final List<String> problems;

    public AuthSettingsLoader(ParsedFlags flags, Map<String, String> env, List<String> problems) {
        this.flags = flags;
        this.env = env;
        this.problems = problems;
    }

    public AuthSettings load() {
        String tenantName = flags.string(AuthFlags.TENANT_NAME).trim();
        List<String> secrets = directSecrets();
        Optional<Path> file = secretFile();
        Optional<JwksSettings> jwks = jwks();
        boolean fileHasSecrets = file.map(this::secretsIn).map(list -> !list.isEmpty()).orElse(false);
        if (tenantName.isEmpty() && secrets.isEmpty() && !fileHasSecrets && jwks.isEmpty()) {
            problems.add("you must set -" + AuthFlags.SECRET_FILE + ", -" + AuthFlags.SECRET + " (or " + AuthFlags.SECRET_ENV
                    + ") and/or -" + AuthFlags.JWKS_URL + ", or -" + AuthFlags.TENANT_NAME + " (an empty key set is refused)");
        }
        return new AuthSettings(secrets, file, jwks, claimRules(), extraHeaders(), tenantName, tenantClaim(),
                flags.bool(AuthFlags.FORWARD_TOKEN), revokedTokensFile(), flags.bool(AuthFlags.OBSERVE_ONLY),
                access(tenantName));
    }

    /** Scopes and Basic credentials concern tokens, which a static tenant never reads: that pair is refused. */
    private AccessSettings access(String tenantName) {
        AccessSettings access = new AccessSettings(flags.bool(AuthFlags.TENANT_FEDERATION),
                flags.bool(AuthFlags.REQUIRE_SCOPES), flags.bool(AuthFlags.BASIC_ENABLED));
        if (!tenantName.isEmpty()) {
            for (String flag : List.of(AuthFlags.REQUIRE_SCOPES, AuthFlags.BASIC_ENABLED)) {
                if (flags.bool(flag)) {
                    problems.add("-" + flag + " needs tokens, but -" + AuthFlags.TENANT_NAME
                            + " is set: a static tenant reads no token");
                }
            }
        }
        return access;
    }

    /** The revocation file, read once here so that a missing, unreadable or malformed one stops start-up. */
    private Optional<Path> revokedTokensFile() {
        String name = flags.string(AuthFlags.REVOKED_TOKENS_FILE).trim();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(name);
        String quoted = "-" + AuthFlags.REVOKED_TOKENS_FILE + " '" + file + "'";
        try {
            RevokedTokensFile.parse(Files.readString(file, StandardCharsets.UTF_8)).problems()
                    .forEach(problem -> problems.add(quoted + ": " + problem));
        } catch (NoSuchFileException e) {
            problems.add("cannot read " + quoted + ": no such file");
        } catch (IOException | RuntimeException e) {
            problems.add("cannot read " + quoted + ": " + e.getClass().getSimpleName());
        }
        return Optional.of(file);
    }

    /** {@code -gateway.auth.jwt-secret}, else {@code GATEWAY_AUTH_JWT_SECRET}; empty values are no secret. */
    public List<String> directSecrets() {
        String secret = flags.string(AuthFlags.SECRET);
        if (secret.isEmpty()) {
            secret = env.getOrDefault(AuthFlags.SECRET_ENV, "");
        }
        return secret.isEmpty() ? List.of() : List.of(secret);
    }

    public Optional<Path> secretFile() {
        String name = flags.string(AuthFlags.SECRET_FILE).trim();
        return name.isEmpty() ? Optional.empty() : Optional.of(Path.of(name));
    }

    /** The secrets in the file now; an unreadable file is a problem (start-up must not guess). */
    public List<String> secretsIn(Path file) {
        try {
            return SecretFile.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            problems.add("cannot read -" + AuthFlags.SECRET_FILE + " '" + file + "': no such file");
        } catch (IOException | RuntimeException e) {
            problems.add("cannot read -" + AuthFlags.SECRET_FILE + " '" + file + "': " + e.getClass().getSimpleName());
        }
        return List.of();
    }

    public String tenantClaim() {
        String claim = flags.string(AuthFlags.TENANT_CLAIM);
        if (claim.isEmpty()) {
            problems.add("invalid value \"\" for flag -" + AuthFlags.TENANT_CLAIM + ": must name a claim");
        }
        return claim;
    }

    public ClaimRules claimRules() {
        Duration skew = flags.duration(AuthFlags.CLOCK_SKEW);
        if (skew.isNegative()) {
            problems.add("invalid value \"" + GoDuration.format(skew) + "\" for flag -" + AuthFlags.CLOCK_SKEW + ": must not be negative");
            skew = Duration.ZERO;
        }
        long minVersion = flags.integer(AuthFlags.MIN_TOKEN_VERSION);
        if (minVersion < 0) {
            problems.add("invalid value \"" + minVersion + "\" for flag -" + AuthFlags.MIN_TOKEN_VERSION + ": must not be negative");
        }
        return new ClaimRules(commaList(AuthFlags.AUDIENCE), commaList(AuthFlags.ISSUER),
                flags.bool(AuthFlags.REQUIRE_EXPIRATION), skew, Math.max(0, minVersion));
    }

    private Optional<JwksSettings> jwks() {
        Duration interval = integerOrDuration(AuthFlags.JWKS_REFRESH_INTERVAL, ChronoUnit.MINUTES,
                "JWKS background refresh interval");
        Duration timeout = integerOrDuration(AuthFlags.JWKS_REFRESH_TIMEOUT, ChronoUnit.SECONDS,
                "JWKS background refresh timeout");
        String value = flags.string(AuthFlags.JWKS_URL).trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return Optional.of(new JwksSettings(uri, flags.bool(AuthFlags.JWKS_REFRESH_ENABLED), interval, timeout));
        } catch (URISyntaxException e) {
            problems.add("-" + AuthFlags.JWKS_URL + ": JWKS URL must start with a valid scheme (http/https) and name a host. Given is '"
                    + value + "'");
            return Optional.empty();
        }
    }

    /** An optional sign and at least one ASCII digit, as Go's strconv.Atoi takes. */
    static boolean isInteger(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Go took these as integers (minutes, seconds); a Go duration such as {@code 90s} works too. */
    private Duration integerOrDuration(String flag, ChronoUnit bareUnit, String what) {
        String text = flags.string(flag).trim();
        Duration value;
        try {
            value = isInteger(text) ? Duration.of(Long.parseLong(text), bareUnit) : GoDuration.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add("invalid value \"" + text + "\" for flag -" + flag + ": expected "
                    + bareUnit.toString().toLowerCase(Locale.ROOT) + " (an integer) or a duration such as 90s");
            return Duration.ofSeconds(1);
        }
        if (!value.isPositive()) {
            problems.add(what + " must positive. Given is '" + text + "'");
            return Duration.ofSeconds(1);
        }
        return value;
    }

    private List<String> extraHeaders() {
        List<String> headers = commaSeparated(flags.string(AuthFlags.EXTRA_HEADERS));
        for (String header : headers) {
            if (!HttpSyntax.isToken(header)) {
                problems.add("invalid value \"" + header + "\" for flag -" + AuthFlags.EXTRA_HEADERS + ": not a header name");
            }
        }
        return headers;
    }

    private Set<String> commaList(String flag) {
        return new LinkedHashSet<>(commaSeparated(flags.string(flag)));
    }

    private static List<String> commaSeparated(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}

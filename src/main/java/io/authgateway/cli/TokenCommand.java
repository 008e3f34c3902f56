package io.authgateway.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.sun.net.httpserver.Headers;
import io.authgateway.access.AccessPolicy;
import io.authgateway.auth.AuthResult;
import io.authgateway.auth.ClaimValidator;
import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.auth.HmacKeySource;
import io.authgateway.auth.HmacKeys;
import io.authgateway.auth.HmacTokenSigner;
import io.authgateway.auth.JwtTenantResolver;
import io.authgateway.auth.Scope;
import io.authgateway.auth.Scopes;
import io.authgateway.auth.TenantClaim;
import io.authgateway.auth.TenantIds;
import io.authgateway.auth.TokenExtractor;
import io.authgateway.auth.TokenVerifier;
import io.authgateway.config.AuthFlags;
import io.authgateway.config.AuthSettingsLoader;
import io.authgateway.config.ClaimRules;
import io.authgateway.config.FlagCatalog;
import io.authgateway.config.FlagKind;
import io.authgateway.config.FlagParser;
import io.authgateway.config.FlagSpec;
import io.authgateway.config.ParsedFlags;
import io.authgateway.routing.Mode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code <binary> token}: mints an HS256 token with the gateway's secret (the first secret of the
 * secret file, else {@code -gateway.auth.jwt-secret} / {@code GATEWAY_AUTH_JWT_SECRET}) and prints
 * only the token; with {@code -verify TOKEN} ({@code -} reads it from stdin) prints the token's
 * header and claims and whether the gateway would accept it, using the same verifier and claim
 * rules as the gateway, then the tenants, scopes and route classes it opens. {@code -tenant a,b}
 * mints a tenant list, {@code -scope} a scope claim. Every minted token carries a random {@code jti}
 * (128 bits, base64url), the id to put in {@code -gateway.auth.revoked-tokens-file}; {@code -verify}
 * prints it, and the {@code sha256:} entry that revokes the token when it has none. Exit codes:
 * 0 minted or accepted, 1 rejected, 2 bad usage.
 */
public final class TokenCommand {

    private static final FlagCatalog CATALOG = FlagCatalog.of(catalog());

    private final Mode mode;
    private final Map<String, String> env;
    private final Clock clock;
    private final InputStream stdin;
    private final RandomGenerator random;

    public TokenCommand(Mode mode, Map<String, String> env, Clock clock, InputStream stdin) {
        this(mode, env, clock, stdin, new SecureRandom());
    }

    /** @param random where the {@code jti} of a minted token comes from */
    public TokenCommand(Mode mode, Map<String, String> env, Clock clock, InputStream stdin, RandomGenerator random) {
        this.mode = mode;
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.stdin = stdin;
        this.random = random;
    }

    private static List<FlagSpec> catalog() {
        List<FlagSpec> specs = new ArrayList<>(List.of(
                FlagSpec.of("tenant", FlagKind.STRING, "", "Tenant ID to put in the token (required to mint); a,b,c "
                        + "puts a tenant list (reads span them, writes choose one)"),
                FlagSpec.of("scope", FlagKind.STRING, "", "Space-separated scopes, e.g. \"metrics:write\" or "
                        + "\"metrics:read rules:read\"; none: the token may do everything its tenants may"),
                FlagSpec.of("ttl", FlagKind.DURATION, "720h", "Lifetime: exp = now + ttl; 0s mints a token without exp"),
                FlagSpec.of("audience", FlagKind.STRING, "", "aud claim"),
                FlagSpec.of("issuer", FlagKind.STRING, "", "iss claim"),
                FlagSpec.of("version", FlagKind.STRING, "", "version claim (integer), see -gateway.auth.min-token-version"),
                FlagSpec.of("claim", FlagKind.LIST, "", "Extra claim key=value, repeatable; a JSON value (number, true, "
                        + "[...]) is kept as JSON, anything else is a string"),
                FlagSpec.of("verify", FlagKind.STRING, "", "Check this token instead of minting one (- reads it from stdin)")));
        specs.addAll(AuthFlags.keysAndClaims());
        return specs;
    }

    public int run(List<String> args, PrintStream out, PrintStream err) {
        ParsedFlags flags = new FlagParser(CATALOG).parse(args);
        if (flags.helpRequested()) {
            out.print(CATALOG.usage(mode.binaryName() + " token"));
            return 0;
        }
        List<String> problems = new ArrayList<>(flags.errors());
        AuthSettingsLoader auth = new AuthSettingsLoader(flags, env, problems);
        List<String> direct = auth.directSecrets();
        Optional<Path> file = auth.secretFile();
        List<String> fromFile = file.map(auth::secretsIn).orElse(List.of());
        ClaimRules rules = auth.claimRules();
        String tenantClaim = auth.tenantClaim();
        if (direct.isEmpty() && fromFile.isEmpty()) {
            problems.add("no secret: set -" + AuthFlags.SECRET_FILE + ", -" + AuthFlags.SECRET + " or " + AuthFlags.SECRET_ENV);
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println(mode.binaryName() + " token: " + problem));
            return 2;
        }
        if (flags.isSet("verify")) {
            List<String> all = new ArrayList<>(direct);
            all.addAll(fromFile);
            return verify(flags.string("verify"), HmacKeys.of(all), rules,
                    new TenantClaim(tenantClaim, flags.bool(AuthFlags.TENANT_FEDERATION)),
                    new AccessPolicy(mode, flags.bool(AuthFlags.REQUIRE_SCOPES)), out, err);
        }
        String secret = fromFile.isEmpty() ? direct.getFirst() : fromFile.getFirst();
        return mint(flags, secret, tenantClaim, out, err);
    }

    private int mint(ParsedFlags flags, String secret, String tenantClaim, PrintStream out, PrintStream err) {
        String tenant = flags.string("tenant");
        List<String> tenants = Arrays.stream(tenant.split(",", -1)).map(String::strip).toList();
        String tenantProblem = tenantsProblem(tenants);
        if (tenantProblem != null) {
            err.println(mode.binaryName() + " token: invalid -tenant '" + tenant + "': " + tenantProblem);
            return 2;
        }
        String scope = flags.string("scope").strip();
        for (String name : scope.isEmpty() ? new String[0] : scope.split("\\s+")) {
            if (Scope.named(name).isEmpty()) {
                err.println(mode.binaryName() + " token: unknown scope '" + name + "' in -scope, expected some of "
                        + Arrays.stream(Scope.values()).map(Scope::wireName).toList());
                return 2;
            }
        }
        JsonObject claims = new JsonObject();
        for (String claim : flags.list("claim")) {
            int eq = claim.indexOf('=');
            if (eq <= 0) {
                err.println(mode.binaryName() + " token: invalid -claim '" + claim + "': expected key=value");
                return 2;
            }
            claims.add(claim.substring(0, eq), jsonOrString(claim.substring(eq + 1)));
        }
        long now = clock.instant().getEpochSecond();
        if (tenants.size() == 1) {
            claims.addProperty(tenantClaim, tenants.getFirst());
        } else {
            JsonArray list = new JsonArray();
            tenants.forEach(list::add);
            claims.add(tenantClaim, list);
        }
        addIfSet(claims, Scopes.SCOPE_CLAIM, String.join(" ", scope.split("\\s+")));
        if (!claims.has("jti")) {
            claims.addProperty("jti", randomJti());
        }
        claims.addProperty("iat", now);
        Duration ttl = flags.duration("ttl");
        if (ttl.isPositive()) {
            claims.addProperty("exp", now + ttl.toSeconds());
        }
        addIfSet(claims, "aud", flags.string("audience"));
        addIfSet(claims, "iss", flags.string("issuer"));
        String version = flags.string("version");
        if (!version.isEmpty()) {
            try {
                claims.addProperty("version", Long.parseLong(version));
            } catch (NumberFormatException e) {
                err.println(mode.binaryName() + " token: invalid -version '" + version + "': expected an integer");
                return 2;
            }
        }
        out.println(new HmacTokenSigner(HmacAlgorithm.HS256, secret.getBytes(StandardCharsets.UTF_8)).sign(claims));
        return 0;
    }

    /** 128 random bits, base64url without padding: 22 characters. */
    private String randomJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private int verify(String given, HmacKeys keys, ClaimRules rules, TenantClaim tenantClaim, AccessPolicy policy,
                       PrintStream out, PrintStream err) {
        String token;
        try {
            token = given.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip() : given.strip();
        } catch (IOException e) {
            err.println(mode.binaryName() + " token: cannot read the token from stdin");
            return 2;
        }
        TokenReport.revocationEntry(token, TokenReport.decoded(token, out), out);
        TokenVerifier verifier = new TokenVerifier(HmacKeySource.fixed(keys), Optional.empty(), new ClaimValidator(rules),
                (rules.clockSkew().toMillis() + 999) / 1000, clock);
        Headers headers = new Headers();
        headers.add(TokenExtractor.AUTHORIZATION, "Bearer " + token);
        AuthResult result = new JwtTenantResolver(new TokenExtractor(List.of(), false), verifier, tenantClaim, false)
                .resolve(headers);
        return switch (result) {
            case AuthResult.Authenticated ok -> {
                TokenReport.grant(ok.grant(), policy, out);
                yield 0;
            }
            case AuthResult.Rejected rejected -> {
                out.println("rejected: " + rejected.reason().status() + " " + rejected.reason().body()
                        + " (" + rejected.detail() + ")");
                yield 1;
            }
        };
    }

    /** Why a {@code -tenant} list cannot go into a token, or null: each ID valid, none twice, at most 100. */
    private static String tenantsProblem(List<String> ids) {
        if (ids.size() > TenantClaim.MAX_TENANTS) {
            return "more than " + TenantClaim.MAX_TENANTS + " tenants";
        }
        for (String id : ids) {
            String problem = TenantIds.problem(id);
            if (problem != null) {
                return problem;
            }
        }
        return ids.stream().distinct().count() == ids.size() ? null : "a tenant is listed twice";
    }

    /** Strict JSON ({@code 42}, {@code true}, {@code ["a","b"]}, {@code "x"}) as JSON, anything else as a string. */
    private static JsonElement jsonOrString(String value) {
        try {
            JsonReader reader = new JsonReader(new StringReader(value));
            reader.setStrictness(Strictness.STRICT);
            JsonElement parsed = JsonParser.parseReader(reader);
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                return parsed;
            }
        } catch (RuntimeException | IOException e) {
            // not JSON: a plain string claim
        }
        return new JsonPrimitive(value);
    }

    private static void addIfSet(JsonObject claims, String name, String value) {
        if (!value.isEmpty()) {
            claims.addProperty(name, value);
        }
    }
}

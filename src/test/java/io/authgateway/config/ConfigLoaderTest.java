package io.authgateway.config;

import io.authgateway.routing.Mode;

import io.authgateway.routing.Upstream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {

    private static final List<String> MINIMAL = List.of("-gateway.distributor.address=http://distributor:8080",
            "-gateway.query-frontend.address=http://query-frontend:8080", "-gateway.auth.jwt-secret=s3cret");

    @Test
    void theOldTwoAddressCortexGatewayCommandLineStarts() {
        LoadResult result = new ConfigLoader(Mode.MIMIR).load(MINIMAL);
        assertThat(result).isInstanceOf(LoadResult.Loaded.class);
        GatewayConfig config = ((LoadResult.Loaded) result).config();
        assertThat(config.upstreams().address(Upstream.DISTRIBUTOR)).contains(URI.create("http://distributor:8080"));
        assertThat(config.upstreams().address(Upstream.RULER)).isEmpty();
        assertThat(config.server().listenPort()).isEqualTo(80);
        assertThat(config.upstreams().timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void perRouteTimeoutsDefaultToTheGeneralOne() {
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.add("-gateway.upstream.timeout=45s");
        UpstreamSettings defaults = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config().upstreams();
        assertThat(defaults.timeoutFor(Upstream.DISTRIBUTOR)).isEqualTo(Duration.ofSeconds(45));
        assertThat(defaults.timeoutFor(Upstream.QUERY_FRONTEND)).isEqualTo(Duration.ofSeconds(45));

        args.addAll(List.of("-gateway.upstream.push-timeout=10s", "-gateway.upstream.query-timeout=5m"));
        UpstreamSettings split = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config().upstreams();
        assertThat(split.timeoutFor(Upstream.DISTRIBUTOR)).isEqualTo(Duration.ofSeconds(10));
        for (Upstream query : List.of(Upstream.QUERY_FRONTEND, Upstream.QUERIER, Upstream.RULER, Upstream.ALERTMANAGER)) {
            assertThat(split.timeoutFor(query)).isEqualTo(Duration.ofMinutes(5));
        }
        assertThat(split.timeout()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void perRouteTimeoutsMustBePositive() {
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.addAll(List.of("-gateway.upstream.push-timeout=0s", "-gateway.upstream.query-timeout=-1s"));
        assertThat(((LoadResult.Invalid) new ConfigLoader(Mode.MIMIR).load(args))
                .problems()).containsExactly(
                "invalid value \"0s\" for flag -gateway.upstream.push-timeout: must be positive",
                "invalid value \"-1s\" for flag -gateway.upstream.query-timeout: must be positive");
    }

    @Test
    void theClientIsChosenByNameAndDefaultsToTheGatewaysOwn() {
        GatewayConfig defaults = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(MINIMAL)).config();
        assertThat(defaults.upstreams().client()).isEqualTo(UpstreamSettings.Client.SOCKET);
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.addAll(List.of("-gateway.server=socket", "-gateway.upstream.client=jdk"));
        GatewayConfig jdk = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config();
        assertThat(jdk.upstreams().client()).isEqualTo(UpstreamSettings.Client.JDK);
        args.addAll(List.of("-gateway.server=netty", "-gateway.upstream.client=okhttp"));
        assertThat(((LoadResult.Invalid) new ConfigLoader(Mode.MIMIR).load(args)).problems()).containsExactly(
                "invalid value \"netty\" for flag -gateway.server: expected socket",
                "invalid value \"okhttp\" for flag -gateway.upstream.client: expected jdk or socket");
    }

    @Test
    void theJdksOwnServerIsRefusedWithTheReason() {
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.add("-gateway.server=jdk");
        assertThat(((LoadResult.Invalid) new ConfigLoader(Mode.MIMIR).load(args)).problems()).singleElement()
                .asString().startsWith("-gateway.server=jdk is no longer supported").contains("bare LF");
    }

    @Test
    void listsEveryProblemAtOnce() {
        LoadResult result = new ConfigLoader(Mode.LOKI, Map.of()).load(List.of("-gateway.distributor.address=distributor:8080",
                "-gateway.querier.address=ftp://querier", "-server.http-listen-port=70000", "-log.format=xml",
                "-gateway.upstream.timeout=0s"));
        assertThat(result).isInstanceOf(LoadResult.Invalid.class);
        assertThat(((LoadResult.Invalid) result).problems()).containsExactlyInAnyOrder(
                "-gateway.distributor.address: distributor address must start with a valid scheme (http/https) and name a host. Given is 'distributor:8080'",
                "you must set -gateway.query-frontend.address",
                "-gateway.querier.address: querier address must start with a valid scheme (http/https) and name a host. Given is 'ftp://querier'",
                "invalid value \"70000\" for flag -server.http-listen-port: must be 0..65535",
                "invalid value \"xml\" for flag -log.format: expected logfmt or json",
                "invalid value \"0s\" for flag -gateway.upstream.timeout: must be positive",
                "you must set -gateway.auth.jwt-secret-file, -gateway.auth.jwt-secret (or GATEWAY_AUTH_JWT_SECRET) and/or "
                        + "-gateway.auth.jwks-url, or -gateway.auth.tenant-name (an empty key set is refused)");
    }

    @Test
    void emptySecretIsAcceptedOnlyInStaticTenantMode() {
        List<String> noSecret = List.of("-gateway.distributor.address=http://d", "-gateway.query-frontend.address=http://q");
        assertThat(new ConfigLoader(Mode.MIMIR, Map.of()).load(noSecret)).isInstanceOf(LoadResult.Invalid.class);
        List<String> staticTenant = new java.util.ArrayList<>(noSecret);
        staticTenant.add("-gateway.auth.tenant-name=team-a");
        LoadResult result = new ConfigLoader(Mode.MIMIR).load(staticTenant);
        assertThat(result).isInstanceOf(LoadResult.Loaded.class);
        assertThat(((LoadResult.Loaded) result).config().auth().staticTenant()).contains("team-a");
    }

    @Test
    void extraHeadersAreTrimmedUnlikeGo() {
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.add("-gateway.auth.jwt-extra-headers=X-Token, X-Other ,");
        GatewayConfig config = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config();
        assertThat(config.auth().extraHeaders()).containsExactly("X-Token", "X-Other");
    }

    @Test
    void pathPrefixLosesItsTrailingSlash() {
        List<String> args = new java.util.ArrayList<>(MINIMAL);
        args.add("-server.path-prefix=/gateway/");
        GatewayConfig config = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(args)).config();
        assertThat(config.server().pathPrefix()).isEqualTo("/gateway");
    }

    @Test
    void secretNeverAppearsInToString() {
        GatewayConfig config = ((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR).load(MINIMAL)).config();
        assertThat(config.toString()).doesNotContain("s3cret").contains("<redacted>");
        assertThat(((LoadResult.Loaded) new ConfigLoader(Mode.MIMIR, Map.of("GATEWAY_AUTH_JWT_SECRET", "env-s3cret"))
                .load(UPSTREAMS)).config().toString()).doesNotContain("env-s3cret");
    }

    @Test
    void helpListsEveryFlagWithDefault() {
        LoadResult result = new ConfigLoader(Mode.MIMIR).load(List.of("-help"));
        String usage = ((LoadResult.HelpRequested) result).usage();
        for (FlagSpec spec : FlagCatalog.forMode(Mode.MIMIR).specs()) {
            if (spec.kind() != FlagKind.IGNORED) {
                assertThat(usage).contains("-" + spec.name());
            }
        }
        assertThat(usage).contains("(default 80)", "(default 2m)", "(default \"tenant_id\")", "-gateway.rules.address");
    }

    private static final List<String> UPSTREAMS = List.of("-gateway.distributor.address=http://d",
            "-gateway.query-frontend.address=http://q");

    private static LoadResult load(Map<String, String> env, String... flags) {
        List<String> args = new java.util.ArrayList<>(UPSTREAMS);
        args.addAll(List.of(flags));
        return new ConfigLoader(Mode.MIMIR, env).load(args);
    }

    private static AuthSettings auth(String... flags) {
        LoadResult result = load(Map.of(), flags);
        assertThat(result).isInstanceOf(LoadResult.Loaded.class);
        return ((LoadResult.Loaded) result).config().auth();
    }

    private static List<String> problems(String... flags) {
        LoadResult result = load(Map.of(), flags);
        assertThat(result).isInstanceOf(LoadResult.Invalid.class);
        return ((LoadResult.Invalid) result).problems();
    }

    @Test
    void secretMayComeFromTheEnvironmentAndTheFlagWins() {
        LoadResult fromEnv = load(Map.of("GATEWAY_AUTH_JWT_SECRET", "env-secret"));
        assertThat(((LoadResult.Loaded) fromEnv).config().auth().jwtSecrets()).containsExactly("env-secret");
        LoadResult both = load(Map.of("GATEWAY_AUTH_JWT_SECRET", "env-secret"), "-gateway.auth.jwt-secret=flag-secret");
        assertThat(((LoadResult.Loaded) both).config().auth().jwtSecrets()).containsExactly("flag-secret");
    }

    @Test
    void secretFileMustBeReadableAndHoldASecretWhenItIsTheOnlyKeySource(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good"), "# comment\n\n  s1  \ns2\n");
        assertThat(auth("-gateway.auth.jwt-secret-file=" + good).jwtSecretFile()).contains(good);
        assertThat(problems("-gateway.auth.jwt-secret-file=" + dir.resolve("missing")))
                .anyMatch(p -> p.contains("cannot read -gateway.auth.jwt-secret-file") && p.contains("no such file"));
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty"), "# only a comment\n");
        assertThat(problems("-gateway.auth.jwt-secret-file=" + empty)).anyMatch(p -> p.contains("an empty key set is refused"));
        assertThat(SecretFile.parse("# c\n\n  s1  \r\ns2\n#s3\n")).containsExactly("s1", "s2");
    }

    @Test
    void accessFlagsDefaultToTodaysBehaviourAndNeedTokens() {
        LoadResult result = new ConfigLoader(Mode.MIMIR).load(List.of("-gateway.distributor.address=http://d",
                "-gateway.query-frontend.address=http://q", "-gateway.auth.jwt-secret=s"));
        assertThat(((LoadResult.Loaded) result).config().auth().access()).isEqualTo(AccessSettings.DEFAULTS);
        assertThat(problems("-gateway.auth.tenant-name=static", "-gateway.auth.require-scopes", "-gateway.auth.basic-enabled"))
                .contains("-gateway.auth.require-scopes needs tokens, but -gateway.auth.tenant-name is set: a static tenant reads no token",
                        "-gateway.auth.basic-enabled needs tokens, but -gateway.auth.tenant-name is set: a static tenant reads no token");
    }

    @Test
    void jwksAloneIsAKeySource() {
        AuthSettings auth = auth("-gateway.auth.jwks-url=https://idp.example/jwks.json");
        assertThat(auth.jwks()).isPresent();
        assertThat(auth.jwks().get().refreshEnabled()).isFalse();
        assertThat(auth.jwks().get().refreshInterval()).isEqualTo(Duration.ofMinutes(60));
        assertThat(auth.jwks().get().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.jwtSecrets()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"5,,PT5M", "90s,,PT1M30S", ",10,PT10S", ",1500ms,PT1.5S"})
    void jwksIntervalAndTimeoutTakeGoIntegersOrDurations(String interval, String timeout, String expected) {
        List<String> flags = new java.util.ArrayList<>(List.of("-gateway.auth.jwks-url=http://idp:8080/keys"));
        if (interval != null) {
            flags.add("-gateway.auth.jwks-refresh-interval=" + interval);
        }
        if (timeout != null) {
            flags.add("-gateway.auth.jwks-refresh-timeout=" + timeout);
        }
        JwksSettings jwks = auth(flags.toArray(String[]::new)).jwks().orElseThrow();
        assertThat(interval != null ? jwks.refreshInterval() : jwks.timeout()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void badJwksAndClaimFlagsAreReportedWithGoMessages() {
        assertThat(problems("-gateway.auth.jwt-secret=s", "-gateway.auth.jwks-url=ftp://idp", "-gateway.auth.jwks-refresh-interval=0",
                "-gateway.auth.jwks-refresh-timeout=-5", "-gateway.auth.clock-skew=-1s", "-gateway.auth.min-token-version=-1",
                "-gateway.auth.jwks-refresh-enabled=maybe")).containsExactlyInAnyOrder(
                "invalid value \"maybe\" for flag -gateway.auth.jwks-refresh-enabled: parse error, expected true or false",
                "-gateway.auth.jwks-url: JWKS URL must start with a valid scheme (http/https) and name a host. Given is 'ftp://idp'",
                "JWKS background refresh interval must positive. Given is '0'",
                "JWKS background refresh timeout must positive. Given is '-5'",
                "invalid value \"-1s\" for flag -gateway.auth.clock-skew: must not be negative",
                "invalid value \"-1\" for flag -gateway.auth.min-token-version: must not be negative");
    }

    @Test
    void claimFlagsBecomeClaimRules() {
        ClaimRules rules = auth("-gateway.auth.jwt-secret=s", "-gateway.auth.audience=a, b,,", "-gateway.auth.issuer=https://i",
                "-gateway.auth.require-expiration", "-gateway.auth.clock-skew=1m", "-gateway.auth.min-token-version=7").claims();
        assertThat(rules).isEqualTo(new ClaimRules(java.util.Set.of("a", "b"), java.util.Set.of("https://i"), true,
                Duration.ofMinutes(1), 7));
        assertThat(auth("-gateway.auth.jwt-secret=s").claims()).isEqualTo(ClaimRules.GO_DEFAULTS);
        assertThat(auth("-gateway.auth.jwt-secret=s").forwardToken()).isFalse();
    }
}

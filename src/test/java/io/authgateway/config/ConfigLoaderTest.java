package io.authgateway.config;

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
}

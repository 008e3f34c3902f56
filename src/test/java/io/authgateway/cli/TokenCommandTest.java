package io.authgateway.cli;

import io.authgateway.routing.Mode;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code token} command: mint, then use the token against a running gateway; verify; misuse. */
class TokenCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new TokenCommand(Mode.MIMIR, Map.of(), Clock.systemUTC(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mintedTokenIsAcceptedByARunningGatewayAndATamperedOneIsNot() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets"), "# current first\nfirst-secret\nsecond-secret\n");
        Run minted = run("", "-tenant=team-a", "-ttl=1h", "-audience=metrics", "-issuer=ops", "-version=2",
                "-claim=team=platform", "-claim=scopes=[\"write\"]", "-gateway.auth.jwt-secret-file=" + secrets);
        assertThat(minted.exitCode()).isZero();
        assertThat(minted.stderr()).isEmpty();
        assertThat(minted.stdout()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n");
        String token = minted.stdout().strip();
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"tenant_id\":\"team-a\"", "\"aud\":\"metrics\"", "\"iss\":\"ops\"", "\"version\":2",
                "\"team\":\"platform\"", "\"scopes\":[\"write\"]", "\"exp\":", "\"iat\":");

        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().withoutSecret().upstream(upstream.base())
                     .flags("-gateway.auth.jwt-secret-file=" + secrets, "-gateway.auth.audience=metrics",
                             "-gateway.auth.issuer=ops", "-gateway.auth.min-token-version=2",
                             "-gateway.auth.require-expiration")
                     .start()) {
            assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("team-a");
            String tampered = tamper(token);
            assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + tampered).body()).isEqualTo("Invalid bearer token\n");
            assertThat(run("", "-verify", tampered, "-gateway.auth.jwt-secret-file=" + secrets).stdout())
                    .contains("rejected: 401 Invalid bearer token (signature is invalid");
        }
    }

    @Test
    void verifyPrintsTheClaimsAndTheVerdictWithTheGatewaysRules() {
        String token = run("", "-tenant=t1", "-version=1", "-gateway.auth.jwt-secret=s3cret").stdout().strip();
        Run accepted = run("", "-verify", token, "-gateway.auth.jwt-secret=s3cret");
        assertThat(accepted.exitCode()).isZero();
        assertThat(accepted.stdout()).contains("\"alg\": \"HS256\"", "\"tenant_id\": \"t1\"", "accepted: tenant t1");

        Run revoked = run(token + "\n", "-verify", "-", "-gateway.auth.jwt-secret=s3cret", "-gateway.auth.min-token-version=2");
        assertThat(revoked.exitCode()).isEqualTo(1);
        assertThat(revoked.stdout()).contains("rejected: 401 Invalid bearer token (token version 1 is below the minimum 2");

        Run otherSecret = run("", "-verify", token, "-gateway.auth.jwt-secret=other");
        assertThat(otherSecret.stdout()).contains("rejected: 401 Invalid bearer token (signature is invalid");
        assertThat(run("", "-verify", "garbage", "-gateway.auth.jwt-secret=s").stdout())
                .contains("rejected: 401 Invalid bearer token");
    }

    @Test
    void mintsTenantListsAndScopesAndVerifyShowsWhatTheyOpen() throws Exception {
        Run minted = run("", "-tenant=a, b,c", "-scope=metrics:read  rules:read", "-gateway.auth.jwt-secret=s3cret");
        assertThat(minted.exitCode()).as(minted.stderr()).isZero();
        String token = minted.stdout().strip();
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"tenant_id\":[\"a\",\"b\",\"c\"]", "\"scope\":\"metrics:read rules:read\"");

        Run verified = run("", "-verify", token, "-gateway.auth.jwt-secret=s3cret");
        assertThat(verified.exitCode()).isZero();
        assertThat(verified.stdout()).contains("accepted: tenants a, b, c", "scopes: metrics:read rules:read",
                "route classes: read, rules_read", "reads go to X-Scope-OrgID a|b|c");

        String unscoped = run("", "-tenant=t", "-gateway.auth.jwt-secret=s3cret").stdout().strip();
        assertThat(run("", "-verify", unscoped, "-gateway.auth.jwt-secret=s3cret").stdout())
                .contains("accepted: tenant t", "route classes: write, delete, read, rules_read, rules_write, alerts_read, alerts_write, admin");
        assertThat(run("", "-verify", unscoped, "-gateway.auth.jwt-secret=s3cret", "-gateway.auth.require-scopes").stdout())
                .contains("route classes: none");
        assertThat(run("", "-verify", token, "-gateway.auth.jwt-secret=s3cret", "-gateway.auth.tenant-federation=false").stdout())
                .contains("rejected: 401 Invalid Tenant ID");

        try (RecordingUpstream upstream = new RecordingUpstream("query-frontend");
             TestGateway gateway = TestGateway.mimir().withoutSecret().upstream(upstream.base())
                     .flags("-gateway.auth.jwt-secret=s3cret").start()) {
            assertThat(gateway.get("/prometheus/api/v1/query", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("a|b|c");
            assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + token).body())
                    .isEqualTo("Forbidden: token lacks scope metrics:write\n");
        }
    }

    @Test
    void refusesToMintUnknownScopesAndBadTenantLists() {
        assertThat(run("", "-tenant=t", "-scope=metrics:reed", "-gateway.auth.jwt-secret=s").stderr())
                .contains("unknown scope 'metrics:reed'");
        assertThat(run("", "-tenant=a,a", "-gateway.auth.jwt-secret=s").stderr()).contains("a tenant is listed twice");
        assertThat(run("", "-tenant=a,", "-gateway.auth.jwt-secret=s").stderr()).contains("empty tenant ID");
        String hundredAndOne = String.join(",", java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(i -> "t" + i).toList());
        assertThat(run("", "-tenant=" + hundredAndOne, "-gateway.auth.jwt-secret=s").stderr()).contains("more than 100 tenants");
    }

    @Test
    void refusesToMintWithoutASecretOrWithABadTenant() {
        Run noSecret = run("", "-tenant=t1");
        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.stdout()).isEmpty();
        assertThat(noSecret.stderr()).contains("no secret");
        assertThat(run("", "-tenant=a|b", "-gateway.auth.jwt-secret=s").stderr()).contains("invalid -tenant 'a|b'");
        assertThat(run("", "-gateway.auth.jwt-secret=s").exitCode()).isEqualTo(2);
        assertThat(run("", "-tenant=t", "-claim=novalue", "-gateway.auth.jwt-secret=s").exitCode()).isEqualTo(2);
        assertThat(run("", "-tenant=t", "-version=x", "-gateway.auth.jwt-secret=s").exitCode()).isEqualTo(2);
        assertThat(run("", "-tenant=t", "-bogus", "-gateway.auth.jwt-secret=s").stderr()).contains("flag provided but not defined: -bogus");
    }

    @Test
    void everyMintedTokenHasItsOwnRandomJtiAndVerifyPrintsIt() {
        String first = run("", "-tenant=t1", "-gateway.auth.jwt-secret=s").stdout().strip();
        String second = run("", "-tenant=t1", "-gateway.auth.jwt-secret=s").stdout().strip();
        String jti = claim(first, "jti");
        assertThat(jti).matches("[A-Za-z0-9_-]{22}");
        assertThat(Base64.getUrlDecoder().decode(jti)).hasSize(16);
        assertThat(claim(second, "jti")).isNotEqualTo(jti);
        assertThat(run("", "-verify", first, "-gateway.auth.jwt-secret=s").stdout()).contains("jti: " + jti + "\n");
        String chosen = run("", "-tenant=t1", "-claim=jti=ci-2026-12", "-gateway.auth.jwt-secret=s").stdout().strip();
        assertThat(claim(chosen, "jti")).isEqualTo("ci-2026-12");
    }

    @Test
    void verifyOfATokenWithoutJtiPrintsTheLineThatRevokesIt() {
        String token = io.authgateway.testing.Tokens.forTenant("t1");
        Run verified = run("", "-verify", token, "-gateway.auth.jwt-secret=" + io.authgateway.testing.Tokens.SECRET);
        assertThat(verified.stdout()).contains("jti: none (revoke this token with the line sha256:"
                + io.authgateway.auth.TokenDigest.of(token).hex() + ")");
    }

    private static String claim(String token, String name) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return com.google.gson.JsonParser.parseString(payload).getAsJsonObject().get(name).getAsString();
    }

    @Test
    void theBinaryDispatchesTokenAndPrintsOnlyTheToken() throws Exception {
        GatewayProcess.Result result = GatewayProcess.run("loki", "token", "-tenant=from-cli", "-gateway.auth.jwt-secret=s");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\n");
        assertThat(result.stderr()).isEmpty();
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("team-a", "team-b").getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + forged + "." + parts[2];
    }
}

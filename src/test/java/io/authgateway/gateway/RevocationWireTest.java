package io.authgateway.gateway;

import io.authgateway.auth.TokenDigest;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -gateway.auth.revoked-tokens-file}: by jti and by digest, reloads, the cache, bad files. */
class RevocationWireTest {

    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void revokesByJtiAndByDigestWithinTenSecondsEvenWhenCachedAndKeepsTheListWhenTheFileGoes() throws Exception {
        Path file = dir.resolve("revoked");
        write(file, "# nothing revoked yet\n");
        String withJti = Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"jti\":\"leaked-jti-1\"}"));
        String withoutJti = Tokens.forTenant("team-b");
        String innocent = Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"jti\":\"fine\"}"));
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.auth.revoked-tokens-file=" + file).start()) {
            assertThat(push(gateway, withJti).statusCode()).isEqualTo(200);
            assertThat(push(gateway, withoutJti).statusCode()).isEqualTo(200);
            assertThat(gateway.logs()).contains("revoked tokens loaded", "entries=0");

            int mark = gateway.logs().length();
            write(file, "# leaked in CI logs\nleaked-jti-1\nsha256:" + TokenDigest.of(withoutJti).hex() + "\n");
            TestGateway.await(RELOAD_LIMIT, "cached token refused", () -> status(gateway, withJti) == 401);
            HttpResponse<String> refused = push(gateway, withJti);
            assertThat(refused.body()).isEqualTo("Invalid bearer token\n");
            assertThat(push(gateway, withoutJti).statusCode()).isEqualTo(401);
            assertThat(push(gateway, innocent).statusCode()).isEqualTo(200);
            String logs = gateway.logsSince(mark);
            assertThat(logs).contains("revoked tokens reloaded", "entries=2", "msg=\"revoked token\"", "reason=token_revoked",
                    "jti leaked-jti-1", "token revoked by its sha256").doesNotContain(withJti, withoutJti);
            assertThat(metric(gateway, "cortex_gateway_failed_authentications_total", "reason", "token_revoked"))
                    .isGreaterThanOrEqualTo(3.0);
            assertThat(metric(gateway, "cortex_gateway_revoked_tokens")).isEqualTo(2.0);

            Files.delete(file);
            TestGateway.await(RELOAD_LIMIT, "two failed re-reads",
                    () -> metric(gateway, "cortex_gateway_revocation_reload_failures_total") >= 2.0);
            assertThat(push(gateway, withJti).statusCode()).isEqualTo(401);
            assertThat(gateway.logs()).contains("level=error", "keeping the last list of revoked tokens", "NoSuchFileException");

            write(file, "sha256:nope\n");
            double failures = metric(gateway, "cortex_gateway_revocation_reload_failures_total");
            TestGateway.await(RELOAD_LIMIT, "bad entry counted",
                    () -> metric(gateway, "cortex_gateway_revocation_reload_failures_total") > failures);
            assertThat(gateway.logs()).contains("line 1: sha256: must be followed by 64 hex digits");
            assertThat(push(gateway, withoutJti).statusCode()).isEqualTo(401);

            write(file, "\n");
            TestGateway.await(RELOAD_LIMIT, "revocations lifted", () -> status(gateway, withJti) == 200);
            assertThat(push(gateway, withoutJti).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void holdsAHundredThousandEntriesAndRequestsGoOnWhileTheyAreReloaded() throws Exception {
        Path file = dir.resolve("revoked");
        String last = Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"jti\":\"jti-99999\"}"));
        String fine = Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"jti\":\"not-listed\"}"));
        write(file, entries(100_000, ""));
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .flags("-gateway.auth.revoked-tokens-file=" + file).start()) {
            assertThat(push(gateway, last).statusCode()).isEqualTo(401);
            int mark = gateway.logs().length();
            write(file, entries(100_000, "-v2"));
            long slowest = 0;
            long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
            while (!gateway.logsSince(mark).contains("revoked tokens reloaded") && System.nanoTime() < deadline) {
                long started = System.nanoTime();
                assertThat(push(gateway, fine).statusCode()).isEqualTo(200);
                slowest = Math.max(slowest, System.nanoTime() - started);
            }
            assertThat(gateway.logsSince(mark)).contains("revoked tokens reloaded", "entries=100000");
            assertThat(Duration.ofNanos(slowest)).as("no request waits for the reload").isLessThan(Duration.ofSeconds(2));
            assertThat(push(gateway, last).statusCode()).isEqualTo(200);
            assertThat(push(gateway, Tokens.sign(Tokens.claims("{\"tenant_id\":\"t\",\"jti\":\"jti-99999-v2\"}")))
                    .statusCode()).isEqualTo(401);
        }
    }

    private static String entries(int count, String suffix) {
        StringBuilder content = new StringBuilder("# generated\n");
        for (int i = 0; i < count; i++) {
            content.append("jti-").append(i).append(suffix).append('\n');
        }
        return content.toString();
    }

    @Test
    void aMissingOrMalformedFileStopsStartUpNamingTheFlag() throws Exception {
        Path missing = dir.resolve("absent");
        GatewayProcess.Result result = GatewayProcess.run("mimir", "-gateway.distributor.address=http://127.0.0.1:1",
                "-gateway.query-frontend.address=http://127.0.0.1:1", "-gateway.auth.jwt-secret=s",
                "-gateway.auth.revoked-tokens-file=" + missing);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("cannot read -gateway.auth.revoked-tokens-file '" + missing + "': no such file");

        Path malformed = Files.writeString(dir.resolve("malformed"), "ok\nsha256:12\n");
        result = GatewayProcess.run("mimir", "-gateway.distributor.address=http://127.0.0.1:1",
                "-gateway.query-frontend.address=http://127.0.0.1:1", "-gateway.auth.jwt-secret=s",
                "-gateway.auth.revoked-tokens-file=" + malformed);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("-gateway.auth.revoked-tokens-file '" + malformed
                + "': line 2: sha256: must be followed by 64 hex digits");
    }

    private void write(Path file, String content) throws Exception {
        Path temp = Files.createTempFile(dir, "revoked", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<String> push(TestGateway gateway, String token) throws Exception {
        return gateway.get("/api/v1/push", "Authorization", "Bearer " + token);
    }

    private static int status(TestGateway gateway, String token) {
        try {
            return push(gateway, token).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double metric(TestGateway gateway, String name, String... labels) {
        try {
            return Exposition.parse(gateway.get("/metrics").body()).value(name, labels).orElse(0.0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

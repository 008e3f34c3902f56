package io.authgateway.gateway;

import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.routing.Mode;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Rotating the secrets of {@code -gateway.auth.jwt-secret-file} while the gateway runs. */
class SecretFileWireTest {

    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void rotationAddsThenRemovesSecretsWithoutARestartAndKeepsTheLastGoodOnBadFiles() throws Exception {
        Path file = dir.resolve("jwt-secrets");
        write(file, "# issued 2024-01\n\nold-secret\n");
        try (RecordingUpstream upstream = new RecordingUpstream("distributor");
             TestGateway gateway = TestGateway.mimir().withoutSecret().upstream(upstream.base())
                     .flags("-gateway.auth.jwt-secret-file=" + file).start()) {
            String oldToken = token("old-secret");
            String newToken = token("new-secret");
            assertThat(status(gateway, oldToken)).isEqualTo(200);
            assertThat(status(gateway, newToken)).isEqualTo(401);

            write(file, "old-secret\n# added for rotation\nnew-secret\r\n");
            TestGateway.await(RELOAD_LIMIT, "new secret accepted", () -> status(gateway, newToken) == 200);
            assertThat(status(gateway, oldToken)).isEqualTo(200);

            write(file, "new-secret\n");
            TestGateway.await(RELOAD_LIMIT, "old secret refused", () -> status(gateway, oldToken) == 401);

            write(file, "# nothing left\n\n");
            TestGateway.await(RELOAD_LIMIT, "error logged", () -> gateway.logs().contains("the file holds no secret"));
            assertThat(status(gateway, newToken)).isEqualTo(200);

            Files.delete(file);
            TestGateway.await(RELOAD_LIMIT, "error logged", () -> gateway.logs().contains("cannot read the file"));
            assertThat(status(gateway, newToken)).isEqualTo(200);
            assertThat(gateway.logs()).contains("level=error", "keeping the last good secrets");
            assertThat(io.authgateway.testing.Exposition.parse(gateway.get("/metrics").body())
                    .value("cortex_gateway_secret_reload_failures_total").orElseThrow()).isGreaterThanOrEqualTo(2.0);

            write(file, "newest-secret\n");
            TestGateway.await(RELOAD_LIMIT, "file back", () -> status(gateway, token("newest-secret")) == 200);
            assertThat(status(gateway, newToken)).isEqualTo(401);
            assertThat(gateway.logs()).doesNotContain("old-secret", "new-secret");
        }
    }

    /** Writes as operators should (and Kubernetes does): a new file moved into place. */
    private void write(Path file, String content) throws Exception {
        Path temp = Files.createTempFile(dir, "secrets", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String token(String secret) {
        return Tokens.signer(HmacAlgorithm.HS256, secret).sign(Tokens.claims("{\"tenant_id\":\"rotating\"}"));
    }

    private static int status(TestGateway gateway, String token) {
        try {
            return gateway.get("/api/v1/push", "Authorization", "Bearer " + token).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

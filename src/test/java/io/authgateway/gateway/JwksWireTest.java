package io.authgateway.gateway;

import io.authgateway.auth.KeyFetchCounters;
import io.authgateway.routing.Mode;
import io.authgateway.testing.JwksServer;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestKeys;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Asymmetric tokens against a real JWKS endpoint on loopback: algorithms, rotation, outage, refetch. */
class JwksWireTest {

    private static final String[] ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA"};
    private static final Map<String, TestKeys> KEYS = new java.util.HashMap<>();
    private static RecordingUpstream upstream;
    private static JwksServer jwks;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        for (String alg : ALGORITHMS) {
            KEYS.put(alg, TestKeys.generate("kid-" + alg, alg));
        }
        upstream = new RecordingUpstream("distributor");
        jwks = new JwksServer(TestKeys.jwks(KEYS.values().toArray(TestKeys[]::new)));
        gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.auth.jwks-url=" + jwks.url()).start();
        TestGateway.await(Duration.ofSeconds(10), "JWKS loaded", () -> gateway.jwksCounters().orElseThrow().keys() > 0);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        jwks.close();
        upstream.close();
    }

    @BeforeEach
    void dropLeftoversOfEarlierTests() {
        upstream.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
    void acceptsEveryAsymmetricAlgorithmWithTheKeyItsKidNames(String alg) throws Exception {
        String token = KEYS.get(alg).sign(Map.of("tenant_id", "tenant-" + alg));
        HttpResponse<String> response = gateway.get("/api/v1/push", "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("tenant-" + alg);
    }

    @Test
    void hmacTokensStillWorkBesideTheJwks() throws Exception {
        assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("hs")).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyOfTheWrongTypeForTheAlgorithmIsNeverTried() throws Exception {
        // Signed with the ES256 key but claiming to be RS256 under the ES key's kid, and vice versa.
        String es = KEYS.get("ES256").sign(Map.of("tenant_id", "t"));
        String relabelled = reheader(es, "{\"alg\":\"RS256\",\"kid\":\"kid-ES256\"}");
        assertRejected(relabelled, "JWKS key kid-ES256 does not fit RS256");
        String es384UnderEs256 = reheader(KEYS.get("ES384").sign(Map.of("tenant_id", "t")), "{\"alg\":\"ES384\",\"kid\":\"kid-ES256\"}");
        assertRejected(es384UnderEs256, "JWKS key kid-ES256 does not fit ES384");
    }

    @Test
    void theRsaPublicKeyUsedAsAnHmacSecretIsRefused() throws Exception {
        String publicJwk = KEYS.get("RS256").publicJwkJson();
        String forged = Tokens.signer(io.authgateway.auth.HmacAlgorithm.HS256, publicJwk)
                .signRaw("{\"alg\":\"HS256\",\"kid\":\"kid-RS256\"}", "{\"tenant_id\":\"t\"}");
        assertRejected(forged, "signature is invalid");
    }

    @Test
    void keysInTheTokenHeaderAreNeverUsedOrFetched() throws Exception {
        TestKeys attacker = TestKeys.generate("kid-RS256", "RS256");
        try (JwksServer attackerJwks = new JwksServer(TestKeys.jwks(attacker))) {
            String embedded = attacker.sign(Map.of("tenant_id", "evil"),
                    Map.of("jku", attackerJwks.url().toString(), "x5u", attackerJwks.url().toString()));
            assertRejected(embedded, "signature is invalid");
            Map<String, Object> jwkHeader = com.google.gson.JsonParser.parseString(attacker.publicJwkJson())
                    .getAsJsonObject().asMap().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getAsString()));
            assertRejected(attacker.sign(Map.of("tenant_id", "evil"), Map.of("jwk", jwkHeader)),
                    "signature is invalid");
            assertThat(attackerJwks.hits()).isZero();
        }
    }

    @Test
    void tokenWithoutKidIsRefused() throws Exception {
        String token = reheader(KEYS.get("RS256").sign(Map.of("tenant_id", "t")), "{\"alg\":\"RS256\"}");
        assertRejected(token, "RS256 token has no kid");
    }

    @Test
    void rotatedKeyIsFetchedOnceOnItsFirstUnknownKidAndRandomKidsAreRateLimited() throws Exception {
        TestKeys rotated = TestKeys.generate("kid-rotated", "ES256");
        KeyFetchCounters counters = gateway.jwksCounters().orElseThrow();
        jwks.serve(TestKeys.jwks(concat(KEYS.values().toArray(TestKeys[]::new), rotated)));
        long fetchesBefore = counters.fetches();
        HttpResponse<String> response = gateway.get("/api/v1/push", "Authorization",
                "Bearer " + rotated.sign(Map.of("tenant_id", "rotated")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters.fetches()).isEqualTo(fetchesBefore + 1);
        assertThat(counters.unknownKidRefetches()).isGreaterThanOrEqualTo(1);

        int hitsBefore = jwks.hits();
        for (int i = 0; i < 20; i++) {
            TestKeys random = TestKeys.generate("random-" + i, "ES256");
            assertThat(gateway.get("/api/v1/push", "Authorization", "Bearer " + random.sign(Map.of("tenant_id", "x")))
                    .statusCode()).isEqualTo(401);
        }
        assertThat(jwks.hits()).isEqualTo(hitsBefore);
        assertThat(gateway.logs()).contains("no JWKS key with kid random-");
    }

    @Test
    void startsWithoutWaitingForAnUnreachableJwksAndAnswers503UntilKeysArrive() throws Exception {
        TestKeys key = TestKeys.generate("late", "RS256");
        try (JwksServer down = new JwksServer(TestKeys.jwks(key))) {
            down.fail(500);
            long started = System.nanoTime();
            try (TestGateway fresh = TestGateway.mimir().upstream(upstream.base())
                    .flags("-gateway.auth.jwks-url=" + down.url(), "-gateway.auth.jwks-refresh-timeout=2").start()) {
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                String token = "Bearer " + key.sign(Map.of("tenant_id", "late"));
                HttpResponse<String> unavailable = fresh.get("/api/v1/push", "Authorization", token);
                assertThat(unavailable.statusCode()).isEqualTo(503);
                assertThat(unavailable.body()).isEqualTo("Keys unavailable\n");
                assertThat(fresh.logs()).contains("reason=keys_unavailable");
                TestGateway.await(Duration.ofSeconds(10), "first fetch failed",
                        () -> fresh.logs().contains("Create JWKS from url failed"));
                assertThat(fresh.get("/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("hs")).statusCode())
                        .isEqualTo(200);

                down.serve(TestKeys.jwks(key));
                TestGateway.await(Duration.ofSeconds(15), "JWKS retried", () -> fresh.jwksCounters().orElseThrow().keys() > 0);
                assertThat(fresh.get("/api/v1/push", "Authorization", token).statusCode()).isEqualTo(200);
                assertThat(fresh.jwksCounters().orElseThrow().fetchFailures()).isPositive();
            }
        }
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodKeys() throws Exception {
        TestKeys key = TestKeys.generate("steady", "ES256");
        try (JwksServer flaky = new JwksServer(TestKeys.jwks(key));
             TestGateway fresh = TestGateway.loki().withoutSecret().upstream(upstream.base())
                     .flags("-gateway.auth.jwks-url=" + flaky.url(), "-gateway.auth.jwks-refresh-enabled",
                             "-gateway.auth.jwks-refresh-interval=300ms",
                             "-gateway.querier.address=" + upstream.base(), "-gateway.ruler.address=" + upstream.base())
                     .start()) {
            KeyFetchCounters counters = fresh.jwksCounters().orElseThrow();
            TestGateway.await(Duration.ofSeconds(10), "JWKS loaded", () -> counters.keys() > 0);
            flaky.fail(503);
            long failuresBefore = counters.fetchFailures();
            TestGateway.await(Duration.ofSeconds(10), "a failed refresh", () -> counters.fetchFailures() > failuresBefore);
            HttpResponse<String> response = fresh.get("/loki/api/v1/push", "Authorization",
                    "Bearer " + key.sign(Map.of("tenant_id", "steady")));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(fresh.logs()).contains("Refreshing JWKS failed");
            assertThat(counters.keys()).isEqualTo(1);
        }
    }

    private static void assertRejected(String token, String logged) throws Exception {
        int mark = gateway.logs().length();
        HttpResponse<String> response = gateway.get("/api/v1/push", "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Invalid bearer token\n");
        assertThat(gateway.logsSince(mark)).contains(logged, "reason=token_not_valid");
        assertThat(upstream.poll(Duration.ofMillis(20))).isNull();
    }

    private static String reheader(String token, String headerJson) {
        String[] parts = token.split("\\.");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + "." + parts[2];
    }

    private static TestKeys[] concat(TestKeys[] keys, TestKeys more) {
        TestKeys[] all = java.util.Arrays.copyOf(keys, keys.length + 1);
        all[keys.length] = more;
        return all;
    }
}

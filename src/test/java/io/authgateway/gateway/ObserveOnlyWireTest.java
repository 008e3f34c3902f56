package io.authgateway.gateway;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.RawHttp;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -gateway.auth.observe-only}: each refusal reason is forwarded anyway, with each tenant
 * header case, counted, logged and audited as observed; what is not authentication stays refused.
 */
class ObserveOnlyWireTest {

    private static Path dir;
    private static Path audit;
    private static RecordingUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("observe-only");
        audit = dir.resolve("audit.log");
        Path revoked = Files.writeString(dir.resolve("revoked"), "revoked-jti\n");
        upstream = new RecordingUpstream("upstream");
        // A JWKS nobody serves: RS256 tokens get 503 Keys unavailable.
        gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.auth.observe-only",
                "-gateway.audit-log=" + audit, "-gateway.auth.revoked-tokens-file=" + revoked,
                "-gateway.auth.jwks-url=http://127.0.0.1:1/jwks", "-gateway.auth.jwt-extra-headers=X-Api-Token").start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void dropLeftoversOfEarlierTests() {
        upstream.clear();
    }

    static Stream<Arguments> refusals() {
        String hs = "{\"alg\":\"HS256\"}";
        List<Arguments> cases = new ArrayList<>();
        Object[][] reasons = {
                {"no_token", null},
                {"token_not_valid", "Bearer not.a.token"},
                {"tenant_id_not_valid", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"a|b\"}")},
                {"token_revoked", "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-r\",\"jti\":\"revoked-jti\"}"))},
                {"keys_unavailable", "Bearer " + Tokens.signRaw("{\"alg\":\"RS256\",\"kid\":\"k1\"}", "{\"tenant_id\":\"t\"}")}};
        for (Object[] reason : reasons) {
            // a revoked token is still a verified one: its own tenant goes, whatever the client sent
            String verified = reason[0].equals("token_revoked") ? "team-r" : null;
            cases.add(Arguments.of(reason[0], reason[1], "client-tenant", verified == null ? "client-tenant" : verified));
            cases.add(Arguments.of(reason[0], reason[1], null, verified));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, client X-Scope-OrgID {2}")
    @MethodSource("refusals")
    void forwardsWhatWouldBeRefusedWithTheClientsOwnTenantOrNoneAndRecordsIt(String reason, String authorization,
                                                                             String clientTenant, String forwarded)
            throws Exception {
        double before = observed(reason);
        int mark = gateway.logs().length();
        HttpRequest.Builder request = gateway.request("/api/v1/push").POST(HttpRequest.BodyPublishers.ofString("body"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (clientTenant != null) {
            request.header("X-Scope-OrgID", clientTenant);
        }
        HttpResponse<String> response = gateway.send(request);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.body()).isEqualTo("body");
        if (forwarded == null) {
            assertThat(seen.headerValues("X-Scope-OrgID")).isEmpty();
        } else {
            assertThat(seen.headerValues("X-Scope-OrgID")).containsExactly(forwarded);
        }
        assertThat(seen.header("Authorization")).as("the credential is withheld as usual").isNull();
        assertThat(observed(reason)).isEqualTo(before + 1);
        assertThat(gateway.logsSince(mark)).contains("observe-only: forwarding a request that would be refused",
                "reason=" + reason);
        JsonObject line = lastAuditLine(reason, forwarded);
        assertThat(line.get("decision").getAsString()).isEqualTo("observed");
        assertThat(line.get("status").getAsInt()).isEqualTo(200);
        if (forwarded == null) {
            assertThat(line.has("tenant")).isFalse();
        } else {
            assertThat(line.get("tenant").getAsString()).isEqualTo(forwarded);
        }
    }

    /** The access rules' refusals: a single-tenant token's tenant is the verified one; a list token has none. */
    static Stream<Arguments> denials() {
        String readOnly = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":\"team-a\",\"scope\":\"metrics:read\"}"));
        String list = "Bearer " + Tokens.sign(Tokens.claims("{\"tenant_id\":[\"a\",\"b\"]}"));
        return Stream.of(
                Arguments.of("scope_missing", "POST", "/api/v1/push", readOnly, "client-tenant", "team-a"),
                Arguments.of("scope_missing", "POST", "/api/v1/push", readOnly, null, "team-a"),
                Arguments.of("tenant_not_allowed", "GET", "/prometheus/api/v1/query", list, "z", "z"),
                Arguments.of("tenant_not_allowed", "GET", "/prometheus/api/v1/query", list, "a|z", "a|z"),
                Arguments.of("write_needs_one_tenant", "POST", "/api/v1/push", list, null, null),
                Arguments.of("write_needs_one_tenant", "POST", "/api/v1/push", list, "a|b", "a|b"));
    }

    @ParameterizedTest(name = "{0}, client X-Scope-OrgID {4}")
    @MethodSource("denials")
    void forwardsWhatTheAccessRulesWouldRefuseAndRecordsIt(String reason, String method, String path, String authorization,
                                                           String clientTenant, String forwarded) throws Exception {
        double before = observed(reason);
        int mark = gateway.logs().length();
        HttpRequest.Builder request = gateway.request(path).method(method, method.equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("body"))
                .header("Authorization", authorization);
        if (clientTenant != null) {
            request.header("X-Scope-OrgID", clientTenant);
        }
        assertThat(gateway.send(request).statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        if (forwarded == null) {
            assertThat(seen.headerValues("X-Scope-OrgID")).isEmpty();
        } else {
            assertThat(seen.headerValues("X-Scope-OrgID")).containsExactly(forwarded);
        }
        assertThat(seen.header("Authorization")).isNull();
        assertThat(observed(reason)).isEqualTo(before + 1);
        assertThat(gateway.logsSince(mark)).contains("observe-only: forwarding a request that would be refused",
                "reason=" + reason);
        JsonObject line = lastAuditLine(reason, forwarded);
        assertThat(line.get("decision").getAsString()).isEqualTo("observed");
        assertThat(line.get("alg").getAsString()).isEqualTo("HS256");
    }

    @Test
    void aVerifiedTenantIsForwardedAsUsualAndOverridesTheClients() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("verified"),
                "X-Scope-OrgID", "spoofed");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().headerValues("X-Scope-OrgID")).containsExactly("verified");
        assertThat(lastAuditLine(null, "verified").get("decision").getAsString()).isEqualTo("allowed");
    }

    @Test
    void warnsThatNothingIsEnforcedAndStaysReady() throws Exception {
        assertThat(gateway.logs()).contains("level=warn", "observe-only mode: authentication and authorization are NOT enforced");
        assertThat(gateway.get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMalformedRequestsAreStillRefused() throws Exception {
        assertThat(gateway.get("/no/such/route").statusCode()).isEqualTo(404);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 400");
        }
        assertThat(upstream.poll(Duration.ofMillis(100))).isNull();
    }

    @Test
    void helpSaysPlainlyThatTheModeEnforcesNothing() throws Exception {
        GatewayProcess.Result help = GatewayProcess.run("mimir", "-help");
        assertThat(help.stdout()).contains("-gateway.auth.observe-only", "ENFORCES NOTHING");
    }

    @Test
    void theWarningIsRepeatedWhileTheModeStaysOn() throws Exception {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        io.authgateway.observability.Log log = new io.authgateway.observability.Log(
                io.authgateway.observability.LogLevel.INFO, io.authgateway.observability.LogFormat.LOGFMT,
                new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8), java.time.Clock.systemUTC());
        try (ObserveOnly mode = ObserveOnly.start(log, Duration.ofMillis(100))) {
            TestGateway.await(Duration.ofSeconds(5), "three warnings",
                    () -> buffer.toString(StandardCharsets.UTF_8).split("NOT enforced", -1).length > 3);
            assertThat(mode.enabled()).isTrue();
        }
    }

    private static double observed(String reason) throws Exception {
        return Exposition.parse(gateway.get("/metrics").body())
                .value("cortex_gateway_observed_rejections_total", "reason", reason).orElse(0.0);
    }

    /** The newest audit line with this reason (null: none) and tenant (null: none). */
    private static JsonObject lastAuditLine(String reason, String tenant) throws Exception {
        JsonObject[] found = new JsonObject[1];
        TestGateway.await(Duration.ofSeconds(10), "audit line", () -> {
            try {
                List<String> lines = Files.readAllLines(audit);
                for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 3; i--) {
                    JsonObject line = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                    boolean reasonMatches = reason == null ? !line.has("reason") : line.has("reason")
                            && line.get("reason").getAsString().equals(reason);
                    boolean tenantMatches = tenant == null ? !line.has("tenant") : line.has("tenant")
                            && line.get("tenant").getAsString().equals(tenant);
                    if (reasonMatches && tenantMatches) {
                        found[0] = line;
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return found[0];
    }
}

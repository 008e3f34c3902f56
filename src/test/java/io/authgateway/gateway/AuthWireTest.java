package io.authgateway.gateway;

import io.authgateway.routing.Mode;
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

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every authentication outcome of reference §4, plus this gateway's fixes, over real HTTP. */
class AuthWireTest {

    private static final long NOW = System.currentTimeMillis() / 1000;
    private static RecordingUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordingUpstream("distributor");
        gateway = TestGateway.mimir().upstream(upstream.base()).flags("-gateway.auth.jwt-extra-headers=X-Api-Token").start();
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

    static Stream<Arguments> rejections() {
        String hs = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        return Stream.of(
                Arguments.of("no header", null, 401, "No bearer token provided", "no bearer token provided"),
                Arguments.of("empty header", "", 401, "No bearer token provided", "no bearer token provided"),
                Arguments.of("basic auth", "Basic dXNlcjpwYXNz", 401, "Invalid bearer token", "invalid bearer token"),
                Arguments.of("garbage", "Bearer garbage", 401, "Invalid bearer token", "invalid bearer token"),
                Arguments.of("wrong secret", "Bearer " + Tokens.signer(io.authgateway.auth.HmacAlgorithm.HS256, "wrong")
                        .sign(Tokens.claims("{\"tenant_id\":\"t\"}")), 401, "Invalid bearer token", "signature is invalid"),
                Arguments.of("alg none", "Bearer " + unsigned("{\"alg\":\"none\"}", "{\"tenant_id\":\"t\"}"), 401,
                        "Invalid bearer token", "unexpected signing method: none"),
                Arguments.of("RS256 header", "Bearer " + Tokens.signRaw("{\"alg\":\"RS256\"}", "{\"tenant_id\":\"t\"}"), 401,
                        "Invalid bearer token", "no JWKS configured, RS256 tokens are not accepted"),
                Arguments.of("expired", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"t\",\"exp\":" + (NOW - 10) + "}"),
                        401, "Invalid bearer token", "token is expired"),
                Arguments.of("not yet valid", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"t\",\"nbf\":" + (NOW + 3600) + "}"),
                        401, "Invalid bearer token", "token is not valid yet"),
                Arguments.of("issued in the future", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"t\",\"iat\":" + (NOW + 3600) + "}"),
                        401, "Invalid bearer token", "token used before issued"),
                Arguments.of("JWE", "Bearer a.b.c.d.e", 401, "Invalid bearer token", "encrypted (JWE) tokens are not accepted"),
                Arguments.of("missing tenant", "Bearer " + Tokens.signRaw(hs, "{\"sub\":\"x\"}"), 401, "Invalid Tenant ID",
                        "claim tenant_id not found"),
                Arguments.of("empty tenant", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"\"}"), 401, "Invalid Tenant ID",
                        "empty tenant ID"),
                Arguments.of("numeric tenant (Go panicked)", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":12345}"), 401,
                        "Invalid Tenant ID", "is not a string or a list but a number"),
                Arguments.of("null tenant (Go panicked)", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":null}"), 401,
                        "Invalid Tenant ID", "is not a string or a list but null"),
                Arguments.of("array tenant with a number (Go panicked on arrays)",
                        "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":[\"a\",1]}"), 401,
                        "Invalid Tenant ID", "element 1 is not a string but a number"),
                Arguments.of("multi-tenant pipe", "Bearer " + Tokens.signRaw(hs, "{\"tenant_id\":\"a|b\"}"), 401,
                        "Invalid Tenant ID", "unsupported character"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsWithTheGoStatusBodyAndALogLine(String name, String authorization, int status, String body, String logged)
            throws Exception {
        HttpResponse<String> response = authorization == null ? gateway.get("/api/v1/push")
                : gateway.get("/api/v1/push", "Authorization", authorization);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body + "\n");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(gateway.logs()).contains(logged);
        assertThat(upstream.poll(Duration.ofMillis(50))).isNull();
    }

    @Test
    void logLinesNeverContainTheToken() throws Exception {
        String token = Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":true}");
        gateway.get("/api/v1/push", "Authorization", "Bearer " + token);
        assertThat(gateway.logs()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void nonStringTenantClaimGetsAnAnswerNotADroppedConnection() throws Exception {
        String token = Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":42}");
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 401");
        }
    }

    @Test
    void acceptedTokenOverwritesEverySpoofedOrgId() throws Exception {
        HttpResponse<String> response = gateway.send(gateway.request("/api/v1/push")
                .header("Authorization", "Bearer " + Tokens.forTenant("real-tenant"))
                .header("X-Scope-OrgID", "spoof-1")
                .header("X-Scope-OrgID", "spoof-2|other")
                .header("x-scope-orgid", "spoof-3")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("payload")));
        assertThat(response.statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.headerValues("X-Scope-OrgID")).containsExactly("real-tenant");
        assertThat(seen.body()).isEqualTo("payload");
    }

    @Test
    void extraHeaderCarriesARawToken() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/push", "X-Api-Token", Tokens.forTenant("via-extra"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("via-extra");
    }

    @Test
    void extraHeaderWinsOverAuthorizationEvenWhenInvalid() throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/push", "X-Api-Token", "junk",
                "Authorization", "Bearer " + Tokens.forTenant("t1"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Invalid bearer token\n");
    }

    @Test
    void bearerPrefixIsOptional() throws Exception {
        assertThat(gateway.get("/api/v1/push", "Authorization", Tokens.forTenant("bare")).statusCode()).isEqualTo(200);
        assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("bare");
    }

    @Test
    void customTenantClaim() throws Exception {
        try (TestGateway custom = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.auth.tenant-id-claim=https://acme.example/org").start()) {
            String token = Tokens.sign(Tokens.claims("{\"https://acme.example/org\":\"acme\",\"tenant_id\":\"no\"}"));
            assertThat(custom.get("/api/v1/push", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(upstream.take().header("X-Scope-OrgID")).isEqualTo("acme");
            assertThat(custom.get("/api/v1/push", "Authorization", "Bearer " + Tokens.forTenant("t")).body())
                    .isEqualTo("Invalid Tenant ID\n");
        }
    }

    @Test
    void staticTenantModeNeedsNoTokenAndStillOverwritesTheHeader() throws Exception {
        try (TestGateway fixed = TestGateway.loki().withoutSecret().upstream(upstream.base())
                .flags("-gateway.auth.tenant-name=fixed-tenant").start()) {
            HttpResponse<String> response = fixed.get("/loki/api/v1/push", "X-Scope-OrgID", "spoofed");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(upstream.take().headerValues("X-Scope-OrgID")).containsExactly("fixed-tenant");
        }
    }

    private static String unsigned(String header, String payload) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes()) + "." + b64.encodeToString(payload.getBytes()) + ".";
    }
}

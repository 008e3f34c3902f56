package io.authgateway.gateway;

import com.google.gson.JsonObject;
import io.authgateway.auth.RejectReason;
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

/**
 * The stricter rules of the security issue over real HTTP: claim flags (audience, issuer,
 * require-expiration, clock-skew, min-token-version), token and header size limits, header
 * discipline ({@code crit}, {@code zip}, JWE, {@code none}), and the token header not being forwarded.
 */
class SecurityWireTest {

    private static final long NOW = System.currentTimeMillis() / 1000;
    private static final String HS = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static RecordingUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordingUpstream("distributor");
        gateway = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.auth.jwt-extra-headers=X-Api-Token",
                        "-gateway.auth.audience=metrics-api, other-api",
                        "-gateway.auth.issuer=https://issuer.example", "-gateway.auth.require-expiration",
                        "-gateway.auth.clock-skew=30s", "-gateway.auth.min-token-version=3")
                .start();
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

    /** A payload that passes every rule, changed by {@code extra}: members replace, {@code "-name"} removes. */
    private static String claims(String extra) {
        JsonObject claims = Tokens.claims("{\"tenant_id\":\"team-a\",\"aud\":\"metrics-api\",\"iss\":\"https://issuer.example\","
                + "\"exp\":" + (NOW + 600) + ",\"version\":3}");
        Tokens.claims("{" + extra + "}").entrySet().forEach(member -> {
            if (member.getKey().startsWith("-")) {
                claims.remove(member.getKey().substring(1));
            } else {
                claims.add(member.getKey(), member.getValue());
            }
        });
        return claims.toString();
    }

    private static String hs(String payload) {
        return "Bearer " + Tokens.signRaw(HS, payload);
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("no token", null, RejectReason.NO_TOKEN, "no bearer token provided"),
                Arguments.of("audience missing", hs(claims("\"-aud\":0")), RejectReason.TOKEN_NOT_VALID, "audience (aud)"),
                Arguments.of("audience wrong", hs(claims("\"aud\":\"someone-else\"")), RejectReason.TOKEN_NOT_VALID, "audience (aud)"),
                Arguments.of("audience array without a match", hs(claims("\"aud\":[\"x\",\"y\"]")), RejectReason.TOKEN_NOT_VALID, "audience (aud)"),
                Arguments.of("issuer wrong", hs(claims("\"iss\":\"https://evil.example\"")), RejectReason.TOKEN_NOT_VALID, "issuer (iss)"),
                Arguments.of("issuer missing", hs(claims("\"-iss\":0")), RejectReason.TOKEN_NOT_VALID, "issuer (iss)"),
                Arguments.of("expiration missing", hs(claims("\"-exp\":0")), RejectReason.TOKEN_NOT_VALID, "no expiration (exp)"),
                Arguments.of("expired beyond the skew", hs(claims("\"exp\":" + (NOW - 60))), RejectReason.TOKEN_NOT_VALID, "token is expired"),
                Arguments.of("not valid yet beyond the skew", hs(claims("\"nbf\":" + (NOW + 120))), RejectReason.TOKEN_NOT_VALID, "not valid yet"),
                Arguments.of("version below minimum", hs(claims("\"version\":2")), RejectReason.TOKEN_NOT_VALID, "below the minimum 3"),
                Arguments.of("version missing", hs(claims("\"-version\":0")), RejectReason.TOKEN_NOT_VALID, "no version claim"),
                Arguments.of("version a string", hs(claims("\"version\":\"3\"")), RejectReason.TOKEN_NOT_VALID, "not an integer"),
                Arguments.of("version a fraction", hs(claims("\"version\":3.5")), RejectReason.TOKEN_NOT_VALID, "not an integer"),
                Arguments.of("token over 16 KiB", hs(claims("\"pad\":\"" + "p".repeat(16 * 1024) + "\"")),
                        RejectReason.TOKEN_NOT_VALID, "token longer than 16384"),
                Arguments.of("unknown crit header", "Bearer " + Tokens.signRaw("{\"alg\":\"HS256\",\"crit\":[\"exp-ext\"],\"exp-ext\":1}",
                        claims("")), RejectReason.TOKEN_NOT_VALID, "critical parameters"),
                Arguments.of("compressed payload", "Bearer " + Tokens.signRaw("{\"alg\":\"HS256\",\"zip\":\"DEF\"}", claims("")),
                        RejectReason.TOKEN_NOT_VALID, "compressed tokens"),
                Arguments.of("JWE", "Bearer eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn",
                        RejectReason.TOKEN_NOT_VALID, "encrypted (JWE)"),
                Arguments.of("alg none", "Bearer " + b64("{\"alg\":\"none\"}") + "." + b64(claims("")) + ".",
                        RejectReason.TOKEN_NOT_VALID, "unexpected signing method: none"),
                Arguments.of("multi-tenant pipe", hs(claims("\"tenant_id\":\"team-a|team-b\"")), RejectReason.TENANT_ID_NOT_VALID,
                        "unsupported character"),
                Arguments.of("tenant with a space", hs(claims("\"tenant_id\":\"team a\"")), RejectReason.TENANT_ID_NOT_VALID,
                        "unsupported character"),
                Arguments.of("tenant non-ASCII", hs(claims("\"tenant_id\":\"t\u00e9am\"")), RejectReason.TENANT_ID_NOT_VALID,
                        "unsupported character"),
                Arguments.of("tenant dot-dot", hs(claims("\"tenant_id\":\"..\"")), RejectReason.TENANT_ID_NOT_VALID, "'.' or '..'"),
                Arguments.of("tenant too long", hs(claims("\"tenant_id\":\"" + "a".repeat(151) + "\"")),
                        RejectReason.TENANT_ID_NOT_VALID, "longer than 150"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsWithStatusBodyAndReasonLabel(String name, String authorization, RejectReason reason, String logged)
            throws Exception {
        int mark = gateway.logs().length();
        HttpResponse<String> response = authorization == null ? gateway.get("/api/v1/push")
                : gateway.get("/api/v1/push", "Authorization", authorization);
        assertThat(response.statusCode()).isEqualTo(reason.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(reason.body() + "\n");
        assertThat(gateway.logsSince(mark)).contains("reason=" + reason.metricLabel(), logged);
        assertThat(upstream.poll(Duration.ofMillis(20))).isNull();
    }

    static Stream<Arguments> acceptances() {
        return Stream.of(
                Arguments.of("every rule met", claims("")),
                Arguments.of("second configured audience", claims("\"aud\":\"other-api\"")),
                Arguments.of("audience array with one match", claims("\"aud\":[\"x\",\"metrics-api\"]")),
                Arguments.of("expired within the clock skew", claims("\"exp\":" + (NOW - 10))),
                Arguments.of("not-before within the clock skew", claims("\"nbf\":" + (NOW + 10))),
                Arguments.of("newer version", claims("\"version\":4")),
                Arguments.of("integral version written as 3.0", claims("\"version\":3.0")),
                Arguments.of("Mimir punctuation in the tenant", claims("\"tenant_id\":\"team_a-1.prod!*'()\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptances")
    void acceptsTokensThatMeetEveryRule(String name, String payload) throws Exception {
        HttpResponse<String> response = gateway.get("/api/v1/push", "Authorization", hs(payload));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().header("X-Scope-OrgID")).isNotEmpty();
    }

    @Test
    void theTokenHeaderIsNotForwardedByDefault() throws Exception {
        String token = hs(claims(""));
        assertThat(gateway.get("/api/v1/push", "Authorization", token, "X-Other", "kept").statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.header("Authorization")).isNull();
        assertThat(seen.header("X-Other")).isEqualTo("kept");

        String raw = Tokens.signRaw(HS, claims(""));
        assertThat(gateway.get("/api/v1/push", "X-Api-Token", raw).statusCode()).isEqualTo(200);
        assertThat(upstream.take().header("X-Api-Token")).isNull();

        // A second credential in another token header does not leak either.
        assertThat(gateway.get("/api/v1/push", "X-Api-Token", raw, "Authorization", "Bearer other-credential")
                .statusCode()).isEqualTo(200);
        RecordingUpstream.Recorded both = upstream.take();
        assertThat(both.header("X-Api-Token")).isNull();
        assertThat(both.header("Authorization")).isNull();
    }

    @Test
    void forwardTokenRestoresTheGoBehaviour() throws Exception {
        try (TestGateway forwarding = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.auth.forward-token=true").start()) {
            String token = "Bearer " + Tokens.forTenant("fwd");
            assertThat(forwarding.get("/api/v1/push", "Authorization", token).statusCode()).isEqualTo(200);
            assertThat(upstream.take().header("Authorization")).isEqualTo(token);
        }
    }

    @Test
    void headersOver64KibGet431AndNeverReachTheUpstream() throws Exception {
        String filler = "x".repeat(8 * 1024);
        StringBuilder request = new StringBuilder("GET /api/v1/push HTTP/1.1\r\nHost: gw\r\nAuthorization: ")
                .append(hs(claims(""))).append("\r\n");
        for (int i = 0; i < 9; i++) {
            request.append("X-Filler-").append(i).append(": ").append(filler).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 431").endsWith("Request Header Fields Too Large\n");
        }
        assertThat(upstream.poll(Duration.ofMillis(100))).isNull();
        // Just under the limit still passes.
        assertThat(gateway.get("/api/v1/push", "Authorization", hs(claims("")), "X-Filler", "x".repeat(60 * 1024))
                .statusCode()).isEqualTo(200);
    }

    private static String b64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

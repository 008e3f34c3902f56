package io.authgateway.auth;

import com.google.gson.JsonObject;
import io.authgateway.config.ClaimRules;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTest {

    private static final long NOW = 1_800_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private final TokenVerifier verifier = Tokens.verifier(CLOCK, ClaimRules.GO_DEFAULTS, Tokens.SECRET);

    @ParameterizedTest
    @EnumSource(HmacAlgorithm.class)
    void acceptsEveryHmacAlgorithmWithAShortGoStyleSecret(HmacAlgorithm algorithm) {
        String token = Tokens.signer(algorithm, Tokens.SECRET).sign(Tokens.claims("{\"tenant_id\":\"t1\"}"));
        assertThat(verifier.verify(token)).isInstanceOf(Verification.Valid.class);
    }

    @Test
    void acceptsATokenSignedWithAnyConfiguredSecret() {
        TokenVerifier rotating = Tokens.verifier(CLOCK, ClaimRules.GO_DEFAULTS, "old", "new");
        String token = Tokens.signer(HmacAlgorithm.HS256, "new").sign(Tokens.claims("{\"tenant_id\":\"t1\"}"));
        assertThat(rotating.verify(token)).isInstanceOf(Verification.Valid.class);
    }

    @Test
    void rejectsAWrongSecret() {
        String token = Tokens.signer(HmacAlgorithm.HS256, "other").sign(Tokens.claims("{\"tenant_id\":\"t1\"}"));
        assertThat(invalidDetail(token)).isEqualTo("signature is invalid");
    }

    @Test
    void rejectsATamperedPayload() {
        String token = Tokens.forTenant("t1");
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"tenant_id\":\"admin\"}".getBytes());
        assertThat(invalidDetail(parts[0] + "." + forged + "." + parts[2])).isEqualTo("signature is invalid");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"alg\":\"none\"}|unexpected signing method: none",
            "{\"alg\":\"RS256\"}|no JWKS configured, RS256 tokens are not accepted",
            "{\"typ\":\"JWT\"}|token header has no alg",
            "{\"alg\":256}|token header has no alg",
            "[1,2]|token header is not base64url-encoded JSON"})
    void rejectsHeadersThatAreNotHmac(String header, String detail) {
        assertThat(invalidDetail(Tokens.signRaw(header, "{\"tenant_id\":\"t1\"}"))).isEqualTo(detail);
    }

    @Test
    void rejectsUnsignedTokens() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"tenant_id\":\"t1\"}".getBytes());
        assertThat(invalidDetail(header + "." + payload + ".")).isEqualTo("unexpected signing method: none");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not-a-token|token is not a compact JWS with three segments",
            "a.b|token is not a compact JWS with three segments",
            "a.b.c.d|token is not a compact JWS with three segments",
            "a.b.c.d.e|encrypted (JWE) tokens are not accepted",
            "!!!.b.c|token header is not base64url-encoded JSON"})
    void rejectsMalformedTokens(String token, String detail) {
        assertThat(invalidDetail(token)).isEqualTo(detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"tenant_id\":\"t\",\"exp\":" + (NOW - 1) + "}|token is expired",
            "{\"tenant_id\":\"t\",\"exp\":" + NOW + "}|token is expired",
            "{\"tenant_id\":\"t\",\"nbf\":" + (NOW + 60) + "}|token is not valid yet",
            "{\"tenant_id\":\"t\",\"iat\":" + (NOW + 60) + "}|token used before issued",
            "{\"tenant_id\":\"t\",\"exp\":\"tomorrow\"}|a time claim (exp, nbf, iat) is not a number"})
    void checksTimeClaimsWhenPresent(String payload, String detail) {
        assertThat(invalidDetail(Tokens.signRaw("{\"alg\":\"HS256\"}", payload))).isEqualTo(detail);
    }

    @Test
    void acceptsValidTimeClaimsAndTheirAbsence() {
        String payload = "{\"tenant_id\":\"t\",\"exp\":" + (NOW + 1) + ",\"nbf\":" + NOW + ",\"iat\":" + NOW + "}";
        assertThat(verifier.verify(Tokens.signRaw("{\"alg\":\"HS256\"}", payload))).isInstanceOf(Verification.Valid.class);
        assertThat(verifier.verify(Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":\"t\"}")))
                .isInstanceOf(Verification.Valid.class);
    }

    @Test
    void payloadMustBeAStrictJsonObject() {
        assertThat(invalidDetail(Tokens.signRaw("{\"alg\":\"HS256\"}", "[\"tenant_id\"]")))
                .isEqualTo("token payload is not a base64url-encoded JSON object");
        assertThat(invalidDetail(Tokens.signRaw("{\"alg\":\"HS256\"}", "{tenant_id: t1}")))
                .isEqualTo("token payload is not a base64url-encoded JSON object");
        assertThat(invalidDetail(Tokens.signRaw("{\"alg\":\"HS256\"}", "{\"tenant_id\":\"t1\"} trailing")))
                .isEqualTo("token payload is not a base64url-encoded JSON object");
    }

    @Test
    void returnsTheClaims() {
        JsonObject claims = ((Verification.Valid) verifier.verify(Tokens.forTenant("team-a"))).claims();
        assertThat(claims.get("tenant_id").getAsString()).isEqualTo("team-a");
    }

    private String invalidDetail(String token) {
        Verification result = verifier.verify(token);
        assertThat(result).isInstanceOf(Verification.Invalid.class);
        return ((Verification.Invalid) result).detail();
    }
}

package io.authgateway.auth;

import com.sun.net.httpserver.Headers;
import io.authgateway.config.ClaimRules;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JwtTenantResolverTest {

    /** What the log and the audit know of the tests' tokens: no sub, no jti, no kid. */
    private static final TokenIdentity HS256 = new TokenIdentity(null, null, null, "HS256");

    private static JwtTenantResolver resolver(List<String> extraHeaders, String claim) {
        return new JwtTenantResolver(new TokenExtractor(extraHeaders, false),
                Tokens.verifier(Clock.systemUTC(), ClaimRules.GO_DEFAULTS, Tokens.SECRET), new TenantClaim(claim, true), false);
    }

    private static Headers headers(String... nameValues) {
        Headers headers = new Headers();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    @ParameterizedTest
    @CsvSource({"'Bearer '", "'bearer '", "'BEARER '", "'BeArEr '", "''"})
    void bearerPrefixIsOptionalAndCaseInsensitive(String prefix) {
        AuthResult result = resolver(List.of(), "tenant_id")
                .resolve(headers("Authorization", prefix + Tokens.forTenant("t1")));
        assertThat(result).isEqualTo(new AuthResult.Authenticated(Grant.single("t1"), Optional.empty(), Set.of("authorization"), HS256));
    }

    @Test
    void noHeaderOrEmptyHeaderIsNoToken() {
        assertThat(reason(resolver(List.of("X-Token"), "tenant_id").resolve(headers()))).isEqualTo(RejectReason.NO_TOKEN);
        assertThat(reason(resolver(List.of("X-Token"), "tenant_id").resolve(headers("Authorization", "", "X-Token", ""))))
                .isEqualTo(RejectReason.NO_TOKEN);
    }

    @Test
    void extraHeadersComeFirstAndTakeTheRawValue() {
        JwtTenantResolver resolver = resolver(List.of("X-Token"), "tenant_id");
        assertThat(resolver.resolve(headers("X-Token", Tokens.forTenant("from-extra"), "Authorization",
                "Bearer " + Tokens.forTenant("from-auth"))))
                .isEqualTo(new AuthResult.Authenticated(Grant.single("from-extra"), Optional.empty(), Set.of("x-token", "authorization"), HS256));
        assertThat(reason(resolver.resolve(headers("X-Token", "Bearer " + Tokens.forTenant("t1")))))
                .isEqualTo(RejectReason.TOKEN_NOT_VALID);
    }

    @Test
    void garbageInAnExtraHeaderIsNotRescuedByAValidAuthorization() {
        AuthResult result = resolver(List.of("X-Token"), "tenant_id")
                .resolve(headers("X-Token", "garbage", "Authorization", "Bearer " + Tokens.forTenant("t1")));
        assertThat(reason(result)).isEqualTo(RejectReason.TOKEN_NOT_VALID);
    }

    @Test
    void customClaimNamesMayLookLikeUrls() {
        String token = Tokens.sign(Tokens.claims("{\"https://example.com/tenant\":\"acme\",\"tenant_id\":\"other\"}"));
        assertThat(resolver(List.of(), "https://example.com/tenant").resolve(headers("Authorization", "Bearer " + token)))
                .isEqualTo(new AuthResult.Authenticated(Grant.single("acme"), Optional.empty(), Set.of("authorization"), HS256));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
            "{}=>claim tenant_id not found",
            "{\"tenant_id\":\"\"}=>empty tenant ID",
            "{\"tenant_id\":42}=>claim tenant_id is not a string or a list but a number",
            "{\"tenant_id\":true}=>claim tenant_id is not a string or a list but a boolean",
            "{\"tenant_id\":null}=>claim tenant_id is not a string or a list but null",
            "{\"tenant_id\":[]}=>claim tenant_id is an empty list",
            "{\"tenant_id\":[\"a\",\"a\"]}=>claim tenant_id element 1 repeats a tenant",
            "{\"tenant_id\":[\"a\",7]}=>claim tenant_id element 1 is not a string but a number",
            "{\"tenant_id\":[\"a\",\"b|c\"]}=>claim tenant_id element 1: tenant ID contains an unsupported character at position 1",
            "{\"tenant_id\":{\"id\":\"a\"}}=>claim tenant_id is not a string or a list but an object",
            "{\"tenant_id\":\"a|b\"}=>tenant ID contains an unsupported character at position 1",
            "{\"tenant_id\":\"..\"}=>tenant ID must not be '.' or '..'",
            "{\"tenant_id\":\"a b\"}=>tenant ID contains an unsupported character at position 1",
            "{\"tenant_id\":\"t\\r\\nX-Evil: 1\"}=>tenant ID contains an unsupported character at position 1"})
    void tenantClaimMustBeAValidNonEmptyString(String payload, String detail) {
        AuthResult result = resolver(List.of(), "tenant_id")
                .resolve(headers("Authorization", "Bearer " + Tokens.signRaw("{\"alg\":\"HS256\"}", payload)));
        assertThat(result).isEqualTo(new AuthResult.Rejected(RejectReason.TENANT_ID_NOT_VALID, detail));
    }

    @Test
    void tenantIdsUpToMimirsLimitAndItsPunctuationAreAccepted() {
        String longest = "a".repeat(150);
        assertThat(TenantIds.problem(longest)).isNull();
        assertThat(TenantIds.problem(longest + "a")).isEqualTo("tenant ID longer than 150 characters");
        assertThat(TenantIds.problem("team_a-1.prod!*'()")).isNull();
        assertThat(TenantIds.problem("tenant\u00e9")).isNotNull();
    }

    private static RejectReason reason(AuthResult result) {
        assertThat(result).isInstanceOf(AuthResult.Rejected.class);
        return ((AuthResult.Rejected) result).reason();
    }
}

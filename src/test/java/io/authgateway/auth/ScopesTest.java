package io.authgateway.auth;

import io.authgateway.testing.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScopesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", value = {
            "{\"scope\":\"metrics:read\"}=>metrics:read",
            "{\"scope\":\"metrics:write  logs:write\"}=>metrics:write logs:write",
            "{\"scope\":\"openid metrics:read profile\"}=>metrics:read",
            "{\"scopes\":[\"rules:read\",\"alerts:write\"]}=>rules:read alerts:write",
            "{\"scopes\":[\"admin\",42,null,\"email\"]}=>admin",
            "{\"scope\":\"metrics:read\",\"scopes\":[\"rules:read\"]}=>metrics:read rules:read",
            "{\"scope\":\"Metrics:Read\"}=>UNSCOPED",
            "{}=>UNSCOPED",
            "{\"scope\":\"openid profile email\"}=>UNSCOPED",
            "{\"scope\":\"\"}=>UNSCOPED",
            "{\"scope\":42}=>UNSCOPED",
            "{\"scope\":[\"metrics:read\"]}=>UNSCOPED",
            "{\"scopes\":\"metrics:read\"}=>UNSCOPED",
            "{\"scopes\":{\"metrics:read\":true}}=>UNSCOPED",
            "{\"scopes\":[]}=>UNSCOPED"})
    void aTokenIsScopedOnlyWhenItsScopeClaimNamesAKnownScope(String claims, String expected) {
        Scopes scopes = Scopes.fromClaims(Tokens.claims(claims));
        if (expected.equals("UNSCOPED")) {
            assertThat(scopes).isEqualTo(Scopes.UNSCOPED);
            assertThat(scopes.scoped()).isFalse();
        } else {
            assertThat(scopes.scoped()).isTrue();
            assertThat(scopes.granted()).containsExactlyInAnyOrder(
                    java.util.Arrays.stream(expected.split(" ")).map(name -> Scope.named(name).orElseThrow()).toArray(Scope[]::new));
        }
    }
}

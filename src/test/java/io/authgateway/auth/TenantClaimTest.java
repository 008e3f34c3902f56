package io.authgateway.auth;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TenantClaimTest {

    private final TenantClaim federated = new TenantClaim("tenant_id", true);
    private final TenantClaim single = new TenantClaim("tenant_id", false);

    private static JsonArray array(List<String> ids) {
        JsonArray array = new JsonArray();
        ids.forEach(array::add);
        return array;
    }

    private static List<String> numbered(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "team-" + i).toList();
    }

    @Test
    void aStringIsOneTenantAndAOneElementListActsLikeIt() {
        assertThat(federated.parse(new JsonPrimitive("a"))).isEqualTo(new TenantClaim.Parsed.Tenants(List.of("a")));
        assertThat(federated.parse(array(List.of("a")))).isEqualTo(new TenantClaim.Parsed.Tenants(List.of("a")));
        assertThat(single.parse(array(List.of("a")))).isEqualTo(new TenantClaim.Parsed.Tenants(List.of("a")));
    }

    @Test
    void aListKeepsTheTokensOrderUpToAHundredTenants() {
        assertThat(federated.parse(array(List.of("c", "a", "b")))).isEqualTo(new TenantClaim.Parsed.Tenants(List.of("c", "a", "b")));
        assertThat(federated.parse(array(numbered(100)))).isEqualTo(new TenantClaim.Parsed.Tenants(numbered(100)));
        assertThat(federated.parse(array(numbered(101))))
                .isEqualTo(new TenantClaim.Parsed.Invalid("claim tenant_id lists 101 tenants, at most 100"));
    }

    @Test
    void listsAreRefusedWhenFederationIsOff() {
        assertThat(single.parse(array(List.of("a", "b")))).isInstanceOf(TenantClaim.Parsed.Invalid.class);
    }

    @Test
    void anEmptyListARepeatOrABadElementSpoilsTheWholeClaim() {
        assertThat(federated.parse(new JsonArray())).isInstanceOf(TenantClaim.Parsed.Invalid.class);
        assertThat(federated.parse(array(List.of("a", "b", "a")))).isInstanceOf(TenantClaim.Parsed.Invalid.class);
        assertThat(federated.parse(array(List.of("a", "a|b")))).isInstanceOf(TenantClaim.Parsed.Invalid.class);
        assertThat(federated.parse(array(List.of("a", "")))).isInstanceOf(TenantClaim.Parsed.Invalid.class);
        JsonArray withNumber = array(List.of("a"));
        withNumber.add(3);
        assertThat(federated.parse(withNumber)).isInstanceOf(TenantClaim.Parsed.Invalid.class);
        JsonArray nested = array(List.of("a"));
        nested.add(array(List.of("b")));
        assertThat(federated.parse(nested)).isInstanceOf(TenantClaim.Parsed.Invalid.class);
    }
}

package io.authgateway.access;

import io.authgateway.auth.Grant;
import io.authgateway.auth.Scope;
import io.authgateway.auth.Scopes;
import io.authgateway.routing.Mode;
import io.authgateway.routing.RouteClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {

    private static final AccessPolicy MIMIR = new AccessPolicy(Mode.MIMIR, false);
    private static final AccessPolicy LOKI = new AccessPolicy(Mode.LOKI, false);

    private static Grant grant(Set<Scope> scopes, String... tenants) {
        return new Grant(List.of(tenants), Scopes.of(scopes));
    }

    /** Every class of every mode, with the one scope it needs and with every other scope. */
    static Stream<Arguments> classesAndTheirScopes() {
        List<Arguments> cases = new ArrayList<>();
        String[][] table = {
                {"MIMIR", "READ", "metrics:read"}, {"MIMIR", "WRITE", "metrics:write"}, {"MIMIR", "DELETE", "metrics:delete"},
                {"MIMIR", "RULES_READ", "rules:read"}, {"MIMIR", "RULES_WRITE", "rules:write"},
                {"MIMIR", "ALERTS_READ", "alerts:read"}, {"MIMIR", "ALERTS_WRITE", "alerts:write"}, {"MIMIR", "ADMIN", "admin"},
                {"LOKI", "READ", "logs:read"}, {"LOKI", "WRITE", "logs:write"}, {"LOKI", "DELETE", "logs:delete"},
                {"LOKI", "RULES_READ", "rules:read"}, {"LOKI", "RULES_WRITE", "rules:write"}, {"LOKI", "ADMIN", "admin"}};
        for (String[] row : table) {
            cases.add(Arguments.of(Mode.valueOf(row[0]), RouteClass.valueOf(row[1]), row[2]));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @MethodSource("classesAndTheirScopes")
    void eachClassNeedsItsOwnScopeAndNoOther(Mode mode, RouteClass routeClass, String needed) {
        AccessPolicy policy = new AccessPolicy(mode, false);
        Scope scope = Scope.named(needed).orElseThrow();
        assertThat(AccessPolicy.requiredScope(mode, routeClass)).isEqualTo(scope);
        assertThat(policy.decide(grant(Set.of(scope), "a"), routeClass, Optional.empty()))
                .isEqualTo(new Decision.Allowed(List.of("a")));

        Set<Scope> everyOther = EnumSet.complementOf(EnumSet.of(scope));
        Decision denied = policy.decide(grant(everyOther, "a"), routeClass, Optional.empty());
        assertThat(denied).isInstanceOfSatisfying(Decision.Denied.class, d -> {
            assertThat(d.reason()).isEqualTo(DenyReason.SCOPE_MISSING);
            assertThat(d.body()).isEqualTo("Forbidden: token lacks scope " + needed);
        });
    }

    @Test
    void adminGrantsNothingButTheAdminClass() {
        assertThat(MIMIR.usableClasses(Scopes.of(Set.of(Scope.ADMIN)))).containsExactly(RouteClass.ADMIN);
    }

    @Test
    void logsScopesOpenNothingOnMimirAndMetricsScopesNothingOnLoki() {
        Scopes logs = Scopes.of(EnumSet.of(Scope.LOGS_READ, Scope.LOGS_WRITE, Scope.LOGS_DELETE));
        Scopes metrics = Scopes.of(EnumSet.of(Scope.METRICS_READ, Scope.METRICS_WRITE, Scope.METRICS_DELETE));
        assertThat(MIMIR.usableClasses(logs)).isEmpty();
        assertThat(LOKI.usableClasses(metrics)).isEmpty();
        assertThat(LOKI.usableClasses(logs)).containsExactly(RouteClass.WRITE, RouteClass.DELETE, RouteClass.READ);
    }

    @ParameterizedTest(name = "unscoped token may {0}")
    @CsvSource({"READ", "WRITE", "DELETE", "RULES_READ", "RULES_WRITE", "ALERTS_READ", "ALERTS_WRITE", "ADMIN"})
    void unscopedTokensKeepTodaysAllAccessUnlessScopesAreRequired(RouteClass routeClass) {
        assertThat(MIMIR.decide(Grant.single("a"), routeClass, Optional.empty())).isEqualTo(new Decision.Allowed(List.of("a")));
        Decision required = new AccessPolicy(Mode.MIMIR, true).decide(Grant.single("a"), routeClass, Optional.empty());
        assertThat(required).isInstanceOfSatisfying(Decision.Denied.class,
                d -> assertThat(d.reason()).isEqualTo(DenyReason.SCOPE_MISSING));
    }

    @Test
    void requiredScopesStillLetAScopedTokenDoWhatItNames() {
        AccessPolicy policy = new AccessPolicy(Mode.MIMIR, true);
        assertThat(policy.decide(grant(Set.of(Scope.METRICS_WRITE), "a"), RouteClass.WRITE, Optional.empty()))
                .isEqualTo(new Decision.Allowed(List.of("a")));
        assertThat(policy.usableClasses(Scopes.UNSCOPED)).isEmpty();
    }

    @Test
    void readsOfAListTokenSpanItsTenantsInTheTokensOrder() {
        Grant list = new Grant(List.of("c", "a", "b"), Scopes.UNSCOPED);
        Decision.Allowed allowed = (Decision.Allowed) MIMIR.decide(list, RouteClass.READ, Optional.empty());
        assertThat(allowed.orgIdHeader()).isEqualTo("c|a|b");
        assertThat(((Decision.Allowed) MIMIR.decide(list, RouteClass.RULES_READ, Optional.empty())).orgIdHeader()).isEqualTo("c|a|b");
        assertThat(((Decision.Allowed) MIMIR.decide(list, RouteClass.ALERTS_READ, Optional.empty())).orgIdHeader()).isEqualTo("c|a|b");
    }

    @ParameterizedTest(name = "read choosing ''{0}'' -> {1}")
    @CsvSource(delimiter = ';', value = {
            "a;a", "b|a;b|a", " b | a ;b|a", "a|a|b;a|b", "c|b|a;c|b|a",
            "a|x;DENIED tenant_not_allowed", "x;DENIED tenant_not_allowed", "a||b;DENIED tenant_not_allowed",
            "A;DENIED tenant_not_allowed"})
    void aClientChoiceOfReadTenantsMustBeASubset(String chosen, String expected) {
        Grant list = new Grant(List.of("a", "b", "c"), Scopes.UNSCOPED);
        assertThat(describe(MIMIR.decide(list, RouteClass.READ, Optional.of(chosen)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} choosing ''{1}'' -> {2}")
    @CsvSource(delimiter = ';', value = {
            "WRITE;;DENIED write_needs_one_tenant", "WRITE;a;a", "WRITE; b ;b", "WRITE;a|a;a",
            "WRITE;a|b;DENIED write_needs_one_tenant", "WRITE;x;DENIED tenant_not_allowed",
            "WRITE;a|x;DENIED tenant_not_allowed",
            "DELETE;;DENIED write_needs_one_tenant", "DELETE;c;c",
            "RULES_WRITE;;DENIED write_needs_one_tenant", "RULES_WRITE;b;b",
            "ALERTS_WRITE;;DENIED write_needs_one_tenant", "ALERTS_WRITE;a|b;DENIED write_needs_one_tenant",
            "ADMIN;;a|b|c"})
    void writesOfAListTokenActOnExactlyOneOfItsTenants(RouteClass routeClass, String chosen, String expected) {
        Grant list = new Grant(List.of("a", "b", "c"), Scopes.UNSCOPED);
        assertThat(describe(MIMIR.decide(list, routeClass, Optional.ofNullable(chosen)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "single-tenant token, {0} choosing ''{1}'' -> {2}")
    @CsvSource(delimiter = ';', value = {"READ;;a", "WRITE;;a", "READ;a;a", "WRITE;a;a",
            "READ;b;DENIED tenant_not_allowed", "WRITE;b;DENIED tenant_not_allowed", "READ;a|b;DENIED tenant_not_allowed"})
    void aChoiceIsCheckedForSingleTenantTokensToo(RouteClass routeClass, String chosen, String expected) {
        assertThat(describe(MIMIR.decide(Grant.single("a"), routeClass, Optional.ofNullable(chosen)))).isEqualTo(expected);
    }

    @Test
    void scopeIsCheckedBeforeTenants() {
        Grant list = new Grant(List.of("a", "b"), Scopes.of(Set.of(Scope.METRICS_READ)));
        assertThat(describe(MIMIR.decide(list, RouteClass.WRITE, Optional.of("x")))).isEqualTo("DENIED scope_missing");
    }

    @Test
    void aHundredTenantsAreForwardedInOrder() {
        List<String> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> "t" + i).toList();
        Decision.Allowed allowed = (Decision.Allowed) MIMIR.decide(new Grant(hundred, Scopes.UNSCOPED), RouteClass.READ,
                Optional.empty());
        assertThat(allowed.orgIdHeader()).isEqualTo(String.join("|", hundred));
    }

    private static String describe(Decision decision) {
        return switch (decision) {
            case Decision.Allowed allowed -> allowed.orgIdHeader();
            case Decision.Denied denied -> "DENIED " + denied.reason().metricLabel();
        };
    }
}

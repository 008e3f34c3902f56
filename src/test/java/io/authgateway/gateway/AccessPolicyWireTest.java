package io.authgateway.gateway;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.authgateway.auth.Scope;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Mode;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteClass;
import io.authgateway.routing.RouteTable;
import io.authgateway.routing.Upstream;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access policies over real HTTP, on both route tables: every proxied route with a read and a write
 * method, with a token that has exactly the scope its class needs and with one that has every other
 * scope; tenant lists (federated reads, writes that choose one tenant); Basic credentials; the
 * flags; metrics and log lines. Every refusal is checked to forward nothing.
 */
class AccessPolicyWireTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "DELETE");
    private static RecordingUpstream upstream;
    private static TestGateway mimir;
    private static TestGateway loki;
    private static TestGateway strict;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordingUpstream("every-component");
        mimir = TestGateway.mimir().upstream(upstream.base()).upstream(Upstream.RULER, upstream.base())
                .upstream(Upstream.ALERTMANAGER, upstream.base()).flags("-gateway.auth.basic-enabled=true").start();
        loki = TestGateway.loki().upstream(upstream.base()).upstream(Upstream.RULER, upstream.base())
                .upstream(Upstream.QUERIER, upstream.base()).flags("-gateway.auth.basic-enabled=true").start();
        strict = TestGateway.mimir().upstream(upstream.base())
                .flags("-gateway.auth.require-scopes=true", "-gateway.auth.tenant-federation=false").start();
    }

    @AfterAll
    static void stop() {
        mimir.close();
        loki.close();
        strict.close();
        upstream.close();
    }

    @BeforeEach
    void dropLeftovers() {
        upstream.clear();
    }

    static String token(String tenantJson, String scope) {
        JsonObject claims = Tokens.claims("{\"tenant_id\":" + tenantJson + "}");
        if (scope != null) {
            claims.addProperty("scope", scope);
        }
        return "Bearer " + Tokens.sign(claims);
    }

    static String basic(String user, String bearer) {
        String token = bearer.substring("Bearer ".length());
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(TestGateway gateway, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = gateway.request(path).method(method,
                method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("payload"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return gateway.send(request);
    }

    /** Forwarded once, with exactly this X-Scope-OrgID and no Authorization header. */
    static void assertForwarded(HttpResponse<String> response, String orgId) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        RecordingUpstream.Recorded recorded = upstream.take();
        assertThat(recorded.headerValues("X-Scope-OrgID")).containsExactly(orgId);
        assertThat(recorded.header("Authorization")).isNull();
    }

    /** Refused with this status and text, and the upstream saw nothing. */
    static void assertRefused(HttpResponse<String> response, int status, String body) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        if (!response.request().method().equals("HEAD")) {
            assertThat(response.body()).isEqualTo(body + "\n");
        }
        assertThat(upstream.received()).as("forwarded despite refusal").isZero();
    }

    static Stream<Arguments> everyRouteAndMethod() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (Route route : RouteTable.forMode(mode, true).routes()) {
                if (route.destination() instanceof Destination.Proxy proxy) {
                    for (String method : METHODS) {
                        cases.add(Arguments.of(mode, route.path(), method, proxy.kind().classFor(method)));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2} {1} is {3}")
    @MethodSource("everyRouteAndMethod")
    void eachRouteNeedsTheScopeOfItsClass(Mode mode, String path, String method, RouteClass routeClass) throws Exception {
        TestGateway gateway = mode == Mode.MIMIR ? mimir : loki;
        Scope needed = Scope.named(scopeNeeded(mode, routeClass)).orElseThrow();
        String otherScopes = String.join(" ", EnumSet.complementOf(EnumSet.of(needed)).stream().map(Scope::wireName).toList());

        assertForwarded(send(gateway, method, path, "Authorization", token("\"team-a\"", needed.wireName()),
                "X-Scope-OrgID", "someone-else"), "team-a");
        assertRefused(send(gateway, method, path, "Authorization", token("\"team-a\"", otherScopes)),
                403, "Forbidden: token lacks scope " + needed.wireName());
        assertForwarded(send(gateway, method, path, "Authorization", token("\"team-a\"", "openid profile")), "team-a");
        assertForwarded(send(gateway, method, path, "Authorization", token("\"team-a\"", null)), "team-a");
    }

    /** The scope table, written out again here so that the gateway's own table is checked, not reused. */
    private static String scopeNeeded(Mode mode, RouteClass routeClass) {
        String signal = mode == Mode.MIMIR ? "metrics" : "logs";
        return switch (routeClass) {
            case READ -> signal + ":read";
            case WRITE -> signal + ":write";
            case DELETE -> signal + ":delete";
            case RULES_READ -> "rules:read";
            case RULES_WRITE -> "rules:write";
            case ALERTS_READ -> "alerts:read";
            case ALERTS_WRITE -> "alerts:write";
            case ADMIN -> "admin";
        };
    }

    @ParameterizedTest(name = "read with X-Scope-OrgID ''{0}'' -> {1}")
    @CsvSource(delimiter = ';', value = {";a|b|c", "a;a", "c|a;c|a", " c | a ;c|a", "b|b|a;b|a",
            "a|x;403", "x;403", "a||b;403"})
    void listTokensReadTheirTenantsOrTheClientsSubset(String chosen, String expected) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Authorization", token("[\"a\",\"b\",\"c\"]", null)));
        if (chosen != null) {
            headers.addAll(List.of("X-Scope-OrgID", chosen));
        }
        HttpResponse<String> response = send(mimir, "GET", "/prometheus/api/v1/query?query=up", headers.toArray(String[]::new));
        if (expected.equals("403")) {
            assertRefused(response, 403, "Tenant not allowed");
        } else {
            assertForwarded(response, expected);
        }
    }

    @ParameterizedTest(name = "{0} {1} with X-Scope-OrgID ''{2}'' -> {3}")
    @CsvSource(delimiter = ';', value = {
            "POST;/api/v1/push;;400", "POST;/api/v1/push;b;b", "POST;/api/v1/push;b|b;b", "POST;/api/v1/push;a|b;400",
            "POST;/api/v1/push;x;403", "POST;/api/v1/push;a|x;403",
            "POST;/prometheus/api/v1/admin/tsdb/delete_series;;400", "POST;/prometheus/api/v1/admin/tsdb/delete_series;a;a",
            "DELETE;/prometheus/api/v1/series;;400",
            "POST;/prometheus/config/v1/rules/ns;;400", "POST;/prometheus/config/v1/rules/ns;c;c",
            "POST;/alertmanager/api/v2/silences;;400", "POST;/alertmanager/api/v2/silences;a|c;400",
            "GET;/prometheus/config/v1/rules;;a|b|c", "GET;/alertmanager/api/v2/silences;;a|b|c"})
    void listTokensWriteToExactlyOneChosenTenant(String method, String path, String chosen, String expected) throws Exception {
        List<String> headers = new ArrayList<>(List.of("Authorization", token("[\"a\",\"b\",\"c\"]", null)));
        if (chosen != null) {
            headers.addAll(List.of("X-Scope-OrgID", chosen));
        }
        HttpResponse<String> response = send(mimir, method, path, headers.toArray(String[]::new));
        switch (expected) {
            case "400" -> assertRefused(response, 400, "Choose one tenant for writes");
            case "403" -> assertRefused(response, 403, "Tenant not allowed");
            default -> assertForwarded(response, expected);
        }
    }

    @Test
    void aOneElementListActsLikeAStringAndSingleTenantTokensStillOverwriteTheClientsHeader() throws Exception {
        assertForwarded(send(mimir, "POST", "/api/v1/push", "Authorization", token("[\"solo\"]", null),
                "X-Scope-OrgID", "solo|other"), "solo");
        assertForwarded(send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", token("\"solo\"", null),
                "X-Scope-OrgID", "other"), "solo");
    }

    @Test
    void aHundredTenantsAreForwardedAndAHundredAndOneRefused() throws Exception {
        List<String> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> "t" + i).toList();
        JsonArray list = new JsonArray();
        hundred.forEach(list::add);
        assertForwarded(send(mimir, "GET", "/prometheus/api/v1/labels", "Authorization", token(list.toString(), null)),
                String.join("|", hundred));
        list.add("t101");
        assertRefused(send(mimir, "GET", "/prometheus/api/v1/labels", "Authorization", token(list.toString(), null)),
                401, "Invalid Tenant ID");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {"empty list;[]", "number element;[\"a\",1]", "duplicate;[\"a\",\"b\",\"a\"]",
            "invalid element;[\"a\",\"b c\"]"})
    void badTenantListsAreInvalidTenantIds(String name, String claim) throws Exception {
        assertRefused(send(mimir, "GET", "/prometheus/api/v1/labels", "Authorization", token(claim, null)),
                401, "Invalid Tenant ID");
    }

    @Test
    void federationOffRefusesListTokensButNotOneElementLists() throws Exception {
        assertRefused(send(strict, "GET", "/prometheus/api/v1/labels", "Authorization", token("[\"a\",\"b\"]", "metrics:read")),
                401, "Invalid Tenant ID");
        assertForwarded(send(strict, "GET", "/prometheus/api/v1/labels", "Authorization", token("[\"a\"]", "metrics:read")), "a");
    }

    @Test
    void requireScopesRefusesTokensThatNameNoScope() throws Exception {
        assertRefused(send(strict, "POST", "/api/v1/push", "Authorization", token("\"a\"", null)),
                403, "Forbidden: token lacks scope metrics:write");
        assertRefused(send(strict, "POST", "/api/v1/push", "Authorization", token("\"a\"", "openid email")),
                403, "Forbidden: token lacks scope metrics:write");
        assertForwarded(send(strict, "POST", "/api/v1/push", "Authorization", token("\"a\"", "metrics:write")), "a");
    }

    @Test
    void basicCredentialsCarryTheTokenAsPasswordAndTheTenantAsUsername() throws Exception {
        String list = token("[\"a\",\"b\",\"c\"]", null);
        assertForwarded(send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", basic("b|a", list)), "b|a");
        assertForwarded(send(mimir, "POST", "/api/v1/push", "Authorization", basic("c", list)), "c");
        assertForwarded(send(loki, "POST", "/loki/api/v1/push", "Authorization", basic("a", token("\"a\"", "logs:write"))), "a");
        assertForwarded(send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", basic("", list)), "a|b|c");
        assertForwarded(send(mimir, "POST", "/api/v1/push", "Authorization", basic("", token("\"solo\"", null))), "solo");
        assertForwarded(send(mimir, "POST", "/api/v1/push", "Authorization", basic("", list), "X-Scope-OrgID", "b"), "b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "user outside a single-tenant token;(made in the test);403;Tenant not allowed",
            "bad base64;Basic !!!;401;Invalid bearer token",
            "no colon;Basic bm9jb2xvbg==;401;Invalid bearer token",
            "password not a token;Basic YTpub3QtYS10b2tlbg==;401;Invalid bearer token"})
    void badBasicCredentialsAreRefused(String name, String header, int status, String body) throws Exception {
        String value = name.startsWith("user outside") ? basic("team-b", token("\"team-a\"", null)) : header;
        assertRefused(send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", value), status, body);
    }

    @Test
    void basicCredentialsWhileTheFlagIsOffAreAnInvalidBearerTokenAsBefore() throws Exception {
        assertRefused(send(strict, "GET", "/prometheus/api/v1/query", "Authorization",
                basic("a", token("\"a\"", "metrics:read"))), 401, "Invalid bearer token");
    }

    @Test
    void eachRefusalIsCountedByReasonAndLoggedWithClassAndTenantsButNeverTheToken() throws Exception {
        Exposition before = Exposition.parse(mimir.get("/metrics").body());
        int mark = mimir.logs().length();
        String readOnly = token("[\"a\",\"b\"]", "metrics:read");
        send(mimir, "POST", "/api/v1/push", "Authorization", readOnly);
        send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", readOnly, "X-Scope-OrgID", "z");
        send(mimir, "POST", "/api/v1/push", "Authorization", token("[\"a\",\"b\"]", null));
        send(mimir, "GET", "/prometheus/api/v1/query", "Authorization", readOnly);
        upstream.take();
        Exposition after = Exposition.parse(mimir.get("/metrics").body());

        for (String reason : List.of("scope_missing", "tenant_not_allowed", "write_needs_one_tenant")) {
            assertThat(delta(before, after, "cortex_gateway_authorization_denials_total", "reason", reason)).as(reason).isEqualTo(1);
        }
        assertThat(failures(after)).isEqualTo(failures(before));
        assertThat(delta(before, after, "cortex_gateway_succeeded_authentications_total", "tenant", "a")).isEqualTo(1);
        assertThat(delta(before, after, "cortex_gateway_succeeded_authentications_total", "tenant", "b")).isEqualTo(1);
        assertThat(after.samples("cortex_gateway_succeeded_authentications_total"))
                .noneMatch(sample -> sample.labels().getOrDefault("tenant", "").contains("|"));

        String log = mimir.logsSince(mark);
        assertThat(log).contains("reason=scope_missing route_class=write tenants=a|b");
        assertThat(log).contains("reason=tenant_not_allowed route_class=read tenants=a|b");
        assertThat(log).contains("reason=write_needs_one_tenant route_class=write tenants=a|b");
        assertThat(log).doesNotContain(readOnly.substring(7)).doesNotContain(readOnly.substring(7, 40));
    }

    private static double delta(Exposition before, Exposition after, String name, String... labels) {
        return after.value(name, labels).orElse(0.0) - before.value(name, labels).orElse(0.0);
    }

    private static double failures(Exposition exposition) {
        return exposition.samples("cortex_gateway_failed_authentications_total").stream().mapToDouble(Exposition.Sample::value).sum();
    }

    @Test
    void denialCountersExistBeforeTheFirstDenial() throws Exception {
        Exposition metrics = Exposition.parse(strict.get("/metrics").body());
        assertThat(Arrays.stream(new String[]{"scope_missing", "tenant_not_allowed", "write_needs_one_tenant"})
                .map(reason -> metrics.value("cortex_gateway_authorization_denials_total", "reason", reason)))
                .allMatch(value -> value.isPresent());
    }

    @Test
    void aRefusedPushWithExpectContinueNeverSendsItsBody() throws Exception {
        HttpResponse<String> response = mimir.send(mimir.request("/api/v1/push").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                .header("Authorization", token("\"a\"", "metrics:read")));
        assertRefused(response, 403, "Forbidden: token lacks scope metrics:write");
        assertThat(upstream.poll(Duration.ofMillis(200))).isNull();
    }
}

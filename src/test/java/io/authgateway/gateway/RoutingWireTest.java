package io.authgateway.gateway;

import io.authgateway.routing.Mode;
import io.authgateway.routing.Destination;
import io.authgateway.routing.Route;
import io.authgateway.routing.RouteTable;
import io.authgateway.routing.Upstream;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request per route of both tables through a real gateway to real upstreams: the right
 * component gets it, with path and query intact and the token's tenant.
 */
class RoutingWireTest {

    private static final Map<Upstream, RecordingUpstream> UPSTREAMS = new EnumMap<>(Upstream.class);
    private static TestGateway mimir;
    private static TestGateway loki;

    @BeforeAll
    static void start() throws Exception {
        for (Upstream upstream : Upstream.values()) {
            UPSTREAMS.put(upstream, new RecordingUpstream(upstream.label()));
        }
        mimir = TestGateway.mimir().upstream(Upstream.DISTRIBUTOR, UPSTREAMS.get(Upstream.DISTRIBUTOR).base())
                .upstream(Upstream.QUERY_FRONTEND, UPSTREAMS.get(Upstream.QUERY_FRONTEND).base())
                .flags("-gateway.ruler.address=" + UPSTREAMS.get(Upstream.RULER).base(), "-gateway.alertmanager.address=" + UPSTREAMS.get(Upstream.ALERTMANAGER).base())
                .start();
        loki = TestGateway.loki().upstream(Upstream.DISTRIBUTOR, UPSTREAMS.get(Upstream.DISTRIBUTOR).base())
                .upstream(Upstream.QUERY_FRONTEND, UPSTREAMS.get(Upstream.QUERY_FRONTEND).base())
                .flags("-gateway.ruler.address=" + UPSTREAMS.get(Upstream.RULER).base(), "-gateway.querier.address=" + UPSTREAMS.get(Upstream.QUERIER).base())
                .start();
    }

    @AfterAll
    static void stop() {
        mimir.close();
        loki.close();
        UPSTREAMS.values().forEach(RecordingUpstream::close);
    }

    static Stream<Arguments> everyProxiedRoute() {
        return Stream.of(Mode.values()).flatMap(mode -> RouteTable.forMode(mode, true).routes().stream()
                .filter(route -> route.destination() instanceof Destination.Proxy)
                .map(route -> Arguments.of(mode, route)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyProxiedRoute")
    void everyRouteReachesItsUpstreamWithPathQueryAndTenant(Mode mode, Route route) throws Exception {
        Upstream expected = ((Destination.Proxy) route.destination()).upstream();
        String path = route.path().endsWith("/") ? route.path() + "sub%2Fpath" : route.path()
                + (route.path().equals("/api") ? "/v1/query" : "");
        String query = "?query=sum%28rate%28x%5B5m%5D%29%29&tenant=ignored&a=1&a=2";
        TestGateway gateway = mode == Mode.MIMIR ? mimir : loki;
        HttpResponse<String> response = gateway.get(path + query, "Authorization", "Bearer " + Tokens.forTenant("team-" + mode.id()),
                "X-Scope-OrgID", "spoofed");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected.label());
        RecordingUpstream.Recorded seen = UPSTREAMS.get(expected).take();
        assertThat(seen.rawPath()).isEqualTo(path);
        assertThat(seen.rawQuery()).isEqualTo(query.substring(1));
        assertThat(seen.headerValues("X-Scope-OrgID")).containsExactly("team-" + mode.id());
        for (RecordingUpstream other : UPSTREAMS.values()) {
            assertThat(other.received()).as("requests left at %s", other.name()).isZero();
        }
    }

    @Test
    void allUserStatsNeedsATokenUnlikeTheGoGateways() throws Exception {
        HttpResponse<String> response = mimir.get("/all_user_stats", "X-Scope-OrgID", "anyone");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("No bearer token provided\n");
        assertThat(UPSTREAMS.get(Upstream.DISTRIBUTOR).received()).isZero();
    }

    @Test
    void unknownPathsAreNotFoundWithoutAToken() throws Exception {
        HttpResponse<String> response = mimir.get("/does/not/exist");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("404 page not found\n");
        assertThat(loki.get("/api/v1/push").statusCode()).isEqualTo(404);
        assertThat(mimir.logs()).contains("msg=\"no request handler defined for this route\" route=/does/not/exist");
    }

    @Test
    void healthAndReadyNeedNoToken() throws Exception {
        HttpResponse<String> health = mimir.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(health.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(loki.get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void nonCanonicalPathsAreRedirectedLikeGorillaMux() throws Exception {
        HttpResponse<String> response = mimir.get("//api/v1/../v1/push?x=1", "Authorization",
                "Bearer " + Tokens.forTenant("t"));
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/push?x=1");
        assertThat(UPSTREAMS.get(Upstream.DISTRIBUTOR).received()).isZero();
    }

    @Test
    void readyTurnsUnavailableOnceDrainingWhileHealthStaysUp() throws Exception {
        try (TestGateway draining = TestGateway.loki()
                .upstream(Upstream.DISTRIBUTOR, UPSTREAMS.get(Upstream.DISTRIBUTOR).base())
                .upstream(Upstream.QUERY_FRONTEND, UPSTREAMS.get(Upstream.QUERY_FRONTEND).base()).start()) {
            assertThat(draining.get("/ready").statusCode()).isEqualTo(200);
            draining.startDraining();
            HttpResponse<String> ready = draining.get("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("Service Unavailable\n");
            assertThat(draining.get("/health").statusCode()).isEqualTo(200);
        }
    }
}

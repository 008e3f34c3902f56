package io.authgateway.routing;


import java.util.ArrayList;
import java.util.List;

import static io.authgateway.routing.RouteKind.ADMIN;
import static io.authgateway.routing.RouteKind.ALERTS;
import static io.authgateway.routing.RouteKind.DELETE;
import static io.authgateway.routing.RouteKind.PUSH;
import static io.authgateway.routing.RouteKind.QUERY;
import static io.authgateway.routing.RouteKind.RULES;
import static io.authgateway.routing.RouteKind.TAIL;
import static io.authgateway.routing.Upstream.ALERTMANAGER;
import static io.authgateway.routing.Upstream.DISTRIBUTOR;
import static io.authgateway.routing.Upstream.QUERIER;
import static io.authgateway.routing.Upstream.QUERY_FRONTEND;
import static io.authgateway.routing.Upstream.RULER;

/**
 * The routes of one mode, in precedence order: the first route that matches wins, as with
 * gorilla/mux in the Go gateways (reference §2.2 and §2.3), plus the routes this gateway adds.
 * A path no route matches goes to {@link #notFound()}.
 */
public final class RouteTable {

    private static final Route NOT_FOUND = new Route("/", Match.PREFIX, Destination.Local.NOT_FOUND, "notfound");

    private final Route[] routes;

    public RouteTable(List<Route> routes) {
        this.routes = routes.toArray(Route[]::new);
    }

    public static RouteTable forMode(Mode mode, boolean instrumentation) {
        List<Route> routes = new ArrayList<>();
        if (instrumentation) {
            routes.add(Route.local("/metrics", Destination.Local.METRICS));
        }
        routes.addAll(mode == Mode.MIMIR ? mimir() : loki());
        routes.add(Route.local("/health", Destination.Local.HEALTH));
        routes.add(Route.local("/ready", Destination.Local.READY));
        return new RouteTable(routes);
    }

    /** Finds the route for a path (already stripped of the path prefix); never null. */
    public Route match(String path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return route;
            }
        }
        return NOT_FOUND;
    }

    public List<Route> routes() {
        return List.of(routes);
    }

    public static Route notFound() {
        return NOT_FOUND;
    }

    /**
     * mimir-gateway v1.5 (§2.2) plus OTLP and Influx pushes; the unreachable duplicate of
     * /api/v1/alerts is left out. The delete_series routes are listed on their own (they went to
     * the query-frontend through the /api prefixes in Go, and still do) so that they are deletes.
     */
    private static List<Route> mimir() {
        return List.of(
                Route.exact("/all_user_stats", DISTRIBUTOR, ADMIN),
                Route.exact("/api/prom/push", DISTRIBUTOR, PUSH),
                Route.exact("/api/v1/push", DISTRIBUTOR, PUSH),
                Route.exact("/api/v1/push/influx/write", DISTRIBUTOR, PUSH),
                Route.exact("/otlp/v1/metrics", DISTRIBUTOR, PUSH),
                Route.prefix("/prometheus/api/v1/alerts", RULER, RULES),
                Route.prefix("/prometheus/api/v1/rules", RULER, RULES),
                Route.prefix("/prometheus/config/v1/rules", RULER, RULES),
                Route.prefix("/api/prom/api/v1/alerts", RULER, RULES),
                Route.prefix("/api/prom/api/v1/rules", RULER, RULES),
                Route.prefix("/api/v1/rules", RULER, RULES),
                Route.prefix("/api/prom/rules", RULER, RULES),
                Route.exact("/prometheus/api/v1/admin/tsdb/delete_series", QUERY_FRONTEND, DELETE),
                Route.exact("/api/v1/admin/tsdb/delete_series", QUERY_FRONTEND, DELETE),
                Route.exact("/api/prom/api/v1/admin/tsdb/delete_series", QUERY_FRONTEND, DELETE),
                Route.prefix("/prometheus/api", QUERY_FRONTEND, QUERY),
                Route.prefix("/api/v1/user_stats", QUERY_FRONTEND, QUERY),
                Route.prefix("/api/v1/alerts", ALERTMANAGER, ALERTS),
                Route.prefix("/alertmanager", ALERTMANAGER, ALERTS),
                Route.prefix("/multitenant_alertmanager/status", ALERTMANAGER, ALERTS),
                Route.prefix("/api/prom/alertmanager", ALERTMANAGER, ALERTS),
                Route.prefix("/api", QUERY_FRONTEND, QUERY));
    }

    /** loki-gateway v1.5 (§2.3) plus OTLP logs and the /loki/api/v1/rules ruler paths; the delete route as in mimir(). */
    private static List<Route> loki() {
        return List.of(
                Route.exact("/all_user_stats", DISTRIBUTOR, ADMIN),
                Route.exact("/loki/api/v1/push", DISTRIBUTOR, PUSH),
                Route.exact("/api/prom/push", DISTRIBUTOR, PUSH),
                Route.exact("/otlp/v1/logs", DISTRIBUTOR, PUSH),
                Route.exact("/loki/api/v1/tail", QUERIER, TAIL),
                Route.exact("/api/prom/tail", QUERIER, TAIL),
                Route.prefix("/prometheus/api/v1/alerts", RULER, RULES),
                Route.prefix("/prometheus/api/v1/rules", RULER, RULES),
                Route.prefix("/api/prom/rules", RULER, RULES),
                Route.prefix("/api/prom/alerts", RULER, RULES),
                Route.prefix("/loki/api/v1/rules", RULER, RULES),
                Route.exact("/loki/api/v1/delete", QUERY_FRONTEND, DELETE),
                Route.prefix("/loki/api/", QUERY_FRONTEND, QUERY),
                Route.prefix("/api/prom/", QUERY_FRONTEND, QUERY));
    }
}

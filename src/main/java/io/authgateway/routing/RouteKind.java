package io.authgateway.routing;

/**
 * The kind of a proxied route, from which a request's {@link RouteClass} follows with its method.
 * Kept in the route table beside each route, so the class is data, not a guess from the path.
 */
public enum RouteKind {
    /** Distributor pushes: a write whatever the method. */
    PUSH,
    /** Query-frontend routes: {@code DELETE} deletes, every other method (PromQL POST too) reads. */
    QUERY,
    /** Deletion endpoints ({@code delete_series}, Loki's {@code /delete}): a delete whatever the method. */
    DELETE,
    /** Live tails: reads. */
    TAIL,
    /** Ruler routes: GET/HEAD read rules, any other method writes them. */
    RULES,
    /** Alertmanager routes: GET/HEAD read alerts, any other method writes them. */
    ALERTS,
    /** Endpoints that span every tenant. */
    ADMIN;

    /** The class of a request with this method (as sent, upper case) on a route of this kind. */
    public RouteClass classFor(String method) {
        boolean reads = method.equals("GET") || method.equals("HEAD");
        return switch (this) {
            case PUSH -> RouteClass.WRITE;
            case QUERY -> method.equals("DELETE") ? RouteClass.DELETE : RouteClass.READ;
            case DELETE -> RouteClass.DELETE;
            case TAIL -> RouteClass.READ;
            case RULES -> reads ? RouteClass.RULES_READ : RouteClass.RULES_WRITE;
            case ALERTS -> reads ? RouteClass.ALERTS_READ : RouteClass.ALERTS_WRITE;
            case ADMIN -> RouteClass.ADMIN;
        };
    }
}

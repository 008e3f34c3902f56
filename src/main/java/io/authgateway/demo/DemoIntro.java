package io.authgateway.demo;

import io.authgateway.routing.Mode;

import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the demo prints before the first request: where the gateway and its echo upstreams listen,
 * the token, and three requests to paste (a push, a query, a bad token), each with the real port
 * and token inline.
 *
 * @param mode        which gateway runs, which decides the paths of the requests
 * @param gateway     the gateway's base URL including any {@code -server.path-prefix}
 * @param echoes      the echo upstreams, one per component
 * @param tenant      the tenant the token names
 * @param tenantClaim the claim that names it
 * @param token       the token the push and the query send
 * @param now         for the timestamp of the Loki push, so the line is valid for a real Loki too
 */
public record DemoIntro(Mode mode, URI gateway, List<EchoUpstream> echoes, String tenant, String tenantClaim,
                        String token, Instant now) {

    /** A token the gateway cannot verify: it is not even a JWS. */
    private static final String BAD_TOKEN = "not-a-valid-token";

    public DemoIntro {
        echoes = List.copyOf(echoes);
    }

    /** The push, the query and the bad token, in that order. */
    public List<CurlCommand> commands() {
        String auth = "Authorization: Bearer " + token;
        CurlCommand push = switch (mode) {
            case MIMIR -> new CurlCommand("Push (-> distributor)", List.of(auth), Optional.of("demo sample"),
                    url("/api/v1/push"));
            case LOKI -> new CurlCommand("Push (-> distributor)", List.of(auth, "Content-Type: application/json"),
                    Optional.of(lokiStream()), url("/loki/api/v1/push"));
        };
        URI query = url(switch (mode) {
            case MIMIR -> "/prometheus/api/v1/query?query=up";
            case LOKI -> "/loki/api/v1/query?query=%7Bjob%3D%22demo%22%7D";
        });
        return List.of(push,
                new CurlCommand("Query (-> query-frontend)", List.of(auth), Optional.empty(), query),
                new CurlCommand("Bad token (-> 401 from the gateway, no upstream sees it)",
                        List.of("Authorization: Bearer " + BAD_TOKEN), Optional.empty(), query));
    }

    public void print(PrintStream out) {
        out.println(mode.displayName() + " Auth Gateway demo: the gateway listens on " + gateway
                + ", in front of an echo upstream per component:");
        for (EchoUpstream echo : echoes) {
            out.printf("  %-16s%s%n", echo.component().label(), echo.base());
        }
        out.println();
        out.println("Token for tenant " + tenant + " (claim " + tenantClaim
                + ", HS256 with a secret made for this run, expires in 1h):");
        out.println(token);
        for (CurlCommand command : commands()) {
            out.println();
            out.println(command.title() + ":");
            out.println(command.text());
        }
        out.println();
        out.println("Each request an echo upstream gets shows below as one line. Ctrl-C stops the demo.");
    }

    private URI url(String pathAndQuery) {
        return URI.create(gateway + pathAndQuery);
    }

    /** One line of Loki's push JSON; the timestamp is nanoseconds since the epoch, as a string. */
    private String lokiStream() {
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return "{\"streams\":[{\"stream\":{\"job\":\"demo\"},\"values\":[[\"" + nanos + "\",\"hello from the demo\"]]}]}";
    }
}

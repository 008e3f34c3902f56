package io.authgateway.observability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One line of the audit log: what the gateway decided about one request on a proxied route, and
 * how it ended. Holds no token, secret, password or query string; a field that does not apply is
 * null and left out of the line.
 *
 * @param ts         when the request arrived
 * @param requestId  the trace id when tracing is on, else a random id
 * @param path       the request path without its query (a query can hold label values)
 * @param routeClass {@code RouteClass.label()}
 * @param upstream   the upstream component's label
 * @param tenant     the {@code X-Scope-OrgID} forwarded ({@code a|b} for a federated read), null when none
 * @param sub        the token's {@code sub}; {@code jti}, {@code kid}, {@code alg} likewise
 * @param decision   {@code allowed}, {@code denied} or {@code observed}; null when nothing was decided
 * @param reason     the refusal's reason label, null when allowed
 * @param durationMicros from the request's arrival to the end of its answer
 */
public record AuditRecord(Instant ts, String requestId, String clientIp, String method, String path, String routeClass,
                          String upstream, String tenant, String sub, String jti, String kid, String alg,
                          String decision, String reason, int status, long bytesIn, long bytesOut, long durationMicros) {

    /** Appends the record as one JSON object and a newline. */
    public void appendLine(StringBuilder line) {
        line.append("{\"ts\":\"").append(timestamp(ts)).append('"');
        field(line, "request_id", requestId);
        field(line, "client_ip", clientIp);
        field(line, "method", method);
        field(line, "path", path);
        field(line, "route_class", routeClass);
        field(line, "upstream", upstream);
        field(line, "tenant", tenant);
        field(line, "sub", sub);
        field(line, "jti", jti);
        field(line, "kid", kid);
        field(line, "alg", alg);
        field(line, "decision", decision);
        field(line, "reason", reason);
        line.append(",\"status\":").append(status);
        line.append(",\"bytes_in\":").append(bytesIn);
        line.append(",\"bytes_out\":").append(bytesOut);
        line.append(",\"duration_ms\":").append(durationMicros / 1000).append('.');
        long micros = durationMicros % 1000;
        line.append((char) ('0' + micros / 100)).append((char) ('0' + micros / 10 % 10)).append((char) ('0' + micros % 10));
        line.append("}\n");
    }

    /** RFC 3339, UTC, always with milliseconds. */
    static String timestamp(Instant ts) {
        String text = Log.timestamp(ts.truncatedTo(ChronoUnit.MILLIS));
        return text.length() == 20 ? text.substring(0, 19) + ".000Z" : text;
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        line.append(",\"").append(name).append("\":\"");
        Log.escape(line, value);
        line.append('"');
    }
}

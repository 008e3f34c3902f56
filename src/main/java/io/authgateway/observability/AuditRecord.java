package io.authgateway.observability;

import java.time.Instant;

/**
 * One line of the audit log: what the gateway decided about one request on a proxied route, and
 * how it ended. Holds no token, secret, password or query string; a field that does not apply is
 * null and left out of the line ({@link AuditLines} writes it).
 *
 * @param ts         when the request arrived
 * @param requestId  the trace id when tracing is on, else null: the writer puts a random id in the line
 * @param path       the request path without its query (a query can hold label values)
 * @param routeClass {@code RouteClass.label()}
 * @param upstream   the upstream component's label
 * @param tenant     the {@code X-Scope-OrgID} forwarded ({@code a|b} for a federated read), null when none
 * @param sub        the token's {@code sub}; {@code jti}, {@code kid}, {@code alg} likewise
 * @param certSubject the verified client certificate's subject when one authenticated the request; {@code certSerial} its serial (hex)
 * @param decision   {@code allowed}, {@code denied} or {@code observed}; null when nothing was decided
 * @param reason     the refusal's reason label, null when allowed
 * @param durationMicros from the request's arrival to the end of its answer
 */
public record AuditRecord(Instant ts, String requestId, String clientIp, String method, String path, String routeClass,
                          String upstream, String tenant, String sub, String jti, String kid, String alg,
                          String certSubject, String certSerial, String decision, String reason, int status, long bytesIn, long bytesOut, long durationMicros) {
}

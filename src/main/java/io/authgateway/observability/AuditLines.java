package io.authgateway.observability;

import java.time.Instant;

/**
 * Writes {@link AuditRecord}s as JSON lines: one object per line, fields in a fixed order, a
 * field that does not apply left out, strings escaped as the log escapes them. One per writer
 * thread: it keeps the text of the last second it formatted, since lines come in bursts.
 */
final class AuditLines {

    private long lastEpochSecond = Long.MIN_VALUE;
    private String lastSecondText;

    /** Appends the record as one JSON object and a newline. */
    void append(AuditRecord record, StringBuilder line) {
        line.append("{\"ts\":\"");
        appendTimestamp(line, record.ts());
        line.append('"');
        field(line, "request_id", record.requestId());
        field(line, "client_ip", record.clientIp());
        field(line, "method", record.method());
        field(line, "path", record.path());
        field(line, "route_class", record.routeClass());
        field(line, "upstream", record.upstream());
        field(line, "tenant", record.tenant());
        field(line, "sub", record.sub());
        field(line, "jti", record.jti());
        field(line, "kid", record.kid());
        field(line, "alg", record.alg());
        field(line, "cert_subject", record.certSubject());
        field(line, "cert_serial", record.certSerial());
        field(line, "decision", record.decision());
        field(line, "reason", record.reason());
        line.append(",\"status\":").append(record.status());
        line.append(",\"bytes_in\":").append(record.bytesIn());
        line.append(",\"bytes_out\":").append(record.bytesOut());
        long micros = record.durationMicros();
        line.append(",\"duration_ms\":").append(micros / 1000).append('.');
        threeDigits(line, (int) (micros % 1000));
        line.append("}\n");
    }

    /** RFC 3339, UTC, always with milliseconds. */
    private void appendTimestamp(StringBuilder line, Instant ts) {
        if (ts.getEpochSecond() != lastEpochSecond) {
            String whole = Log.timestamp(Instant.ofEpochSecond(ts.getEpochSecond()));
            lastSecondText = whole.substring(0, whole.length() - 1);
            lastEpochSecond = ts.getEpochSecond();
        }
        line.append(lastSecondText).append('.');
        threeDigits(line, ts.getNano() / 1_000_000);
        line.append('Z');
    }

    private static void threeDigits(StringBuilder line, int value) {
        line.append((char) ('0' + value / 100)).append((char) ('0' + value / 10 % 10)).append((char) ('0' + value % 10));
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

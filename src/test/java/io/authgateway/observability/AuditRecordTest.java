package io.authgateway.observability;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit line's JSON (AuditLines): field order, RFC 3339 milliseconds, omitted fields, escaping. */
class AuditRecordTest {

    @Test
    void writesEveryFieldThatAppliesAsOneJsonLine() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-12-01T06:07:08.123456Z"), "abc", "127.0.0.1", "POST",
                "/api/v1/push", "write", "distributor", "team-a", "ci-bot", "jti-1", "key-1", "HS256", null, null, "allowed", null,
                200, 1024, 3, 1_234_567);
        AuditLines line = new AuditLines();
        line.append(record);
        assertThat(line.text()).isEqualTo("{\"ts\":\"2026-12-01T06:07:08.123Z\",\"request_id\":\"abc\","
                + "\"client_ip\":\"127.0.0.1\",\"method\":\"POST\",\"path\":\"/api/v1/push\",\"route_class\":\"write\","
                + "\"upstream\":\"distributor\",\"tenant\":\"team-a\",\"sub\":\"ci-bot\",\"jti\":\"jti-1\",\"kid\":\"key-1\","
                + "\"alg\":\"HS256\",\"decision\":\"allowed\",\"status\":200,\"bytes_in\":1024,\"bytes_out\":3,"
                + "\"duration_ms\":1234.567}\n");
    }

    @Test
    void anUntracedRequestGetsARandomIdAndNonAsciiIsEscapedOrUtf8() {
        AuditLines lines = new AuditLines();
        for (int i = 0; i < 2; i++) {
            lines.append(new AuditRecord(Instant.parse("2026-12-01T06:07:08Z"), null, "ip", "GET", "/caf\u00e9\u0001", "read",
                    "querier", "t\u00e9", null, null, null, null, null, null, "allowed", null, -1, 0, 12_345_678_901L, 0));
        }
        String[] text = lines.text().split("\n");
        assertThat(text[0]).matches("\\{\"ts\":\"2026-12-01T06:07:08.000Z\",\"request_id\":\"[0-9a-f]{32}\",.*")
                .contains("\"path\":\"/caf\u00e9\\u0001\"", "\"tenant\":\"t\u00e9\"", "\"status\":-1",
                        "\"bytes_out\":12345678901", "\"duration_ms\":0.000}");
        assertThat(text[0].substring(30, 80)).isNotEqualTo(text[1].substring(30, 80));
    }

    @Test
    void namesTheClientCertificateThatAuthenticatedTheRequest() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-12-01T06:07:08Z"), "id", "10.0.0.1", "POST",
                "/api/v1/push", "write", "distributor", "agent-7", null, null, null, null, "CN=agent-7,O=Example", "01ab",
                "allowed", null, 200, 10, 0, 1000);
        AuditLines line = new AuditLines();
        line.append(record);
        assertThat(line.text()).contains("\"tenant\":\"agent-7\",\"cert_subject\":\"CN=agent-7,O=Example\","
                + "\"cert_serial\":\"01ab\",\"decision\":\"allowed\"").doesNotContain("\"sub\"", "\"alg\"");
    }

    @Test
    void leavesOutWhatDoesNotApplyAndEscapesTheRest() {
        AuditRecord record = new AuditRecord(Instant.parse("2026-12-01T06:07:08Z"), "id", "::1", "GET", "/a\"b\n",
                "read", "querier", null, null, null, null, null, null, null, "denied", "no_token", 401, 0, 25, 7);
        AuditLines line = new AuditLines();
        line.append(record);
        assertThat(line.text()).isEqualTo("{\"ts\":\"2026-12-01T06:07:08.000Z\",\"request_id\":\"id\","
                + "\"client_ip\":\"::1\",\"method\":\"GET\",\"path\":\"/a\\\"b\\n\",\"route_class\":\"read\","
                + "\"upstream\":\"querier\",\"decision\":\"denied\",\"reason\":\"no_token\",\"status\":401,"
                + "\"bytes_in\":0,\"bytes_out\":25,\"duration_ms\":0.007}\n");
    }

    @Test
    void aSecondWriterReusesNothingStaleAcrossSeconds() {
        AuditLines lines = new AuditLines();
        for (String ts : new String[] {"2026-12-01T06:07:08.999Z", "2026-12-01T06:07:09.001Z", "2026-12-31T23:59:59.500Z"}) {
            lines.append(new AuditRecord(Instant.parse(ts), "id", "ip", "GET", "/", "read", "querier", null, null, null,
                    null, null, null, null, "allowed", null, 200, 0, 0, 0));
        }
        assertThat(lines.text()).contains("\"ts\":\"2026-12-01T06:07:08.999Z\"", "\"ts\":\"2026-12-01T06:07:09.001Z\"",
                "\"ts\":\"2026-12-31T23:59:59.500Z\"");
    }
}

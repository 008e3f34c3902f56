package io.authgateway.upstream;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeadersTest {

    @Test
    void aNullTenantSendsNoOrgIdAtAllAndStillDropsTheClients() {
        Headers client = new Headers();
        client.add("X-Scope-OrgID", "from-client");
        client.add("Accept", "*/*");
        List<String> names = new ArrayList<>();
        ProxyHeaders.forRequest(client, null, "10.0.0.9", Set.of(), (k, v) -> names.add(k.toLowerCase()));
        assertThat(names).contains("accept", "x-forwarded-for").doesNotContain("x-scope-orgid");
    }

    @Test
    void overwritesTheTenantAndDropsHopByHopHeaders() {
        Headers client = new Headers();
        client.add("X-Scope-OrgID", "spoofed");
        client.add("x-scope-orgid", "spoofed-again");
        client.add("Connection", "keep-alive, X-Secret-Hop");
        client.add("X-Secret-Hop", "1");
        client.add("Keep-Alive", "timeout=5");
        client.add("Transfer-Encoding", "chunked");
        client.add("TE", "trailers");
        client.add("Upgrade", "h2c");
        client.add("Proxy-Authorization", "Basic x");
        client.add("Host", "gateway.example");
        client.add("Content-Length", "3");
        client.add("Content-Type", "application/x-protobuf");
        client.add("Content-Encoding", "snappy");
        client.add("X-Prometheus-Remote-Write-Version", "0.1.0");
        List<String[]> sent = new ArrayList<>();
        ProxyHeaders.forRequest(client, "team-a", "10.0.0.9", Set.of(), (k, v) -> sent.add(new String[] {k.toLowerCase(), v}));
        assertThat(sent).extracting(h -> h[0] + ": " + h[1]).containsExactlyInAnyOrder(
                "content-type: application/x-protobuf",
                "content-encoding: snappy",
                "x-prometheus-remote-write-version: 0.1.0",
                "x-scope-orgid: team-a",
                "x-forwarded-for: 10.0.0.9",
                "x-forwarded-host: gateway.example");
    }

    @Test
    void appendsTheClientToAnExistingForwardedFor() {
        Headers client = new Headers();
        client.add("X-Forwarded-For", "1.1.1.1, 2.2.2.2");
        client.add("X-Forwarded-For", "3.3.3.3");
        List<String> forwardedFor = new ArrayList<>();
        ProxyHeaders.forRequest(client, "t", "10.0.0.9", Set.of(), (k, v) -> {
            if (k.equalsIgnoreCase("X-Forwarded-For")) {
                forwardedFor.add(v);
            }
        });
        assertThat(forwardedFor).containsExactly("1.1.1.1, 2.2.2.2, 3.3.3.3, 10.0.0.9");
    }

    @Test
    void withholdsNamedHeaders() {
        Headers client = new Headers();
        client.add("Authorization", "Bearer x");
        List<String> names = new ArrayList<>();
        ProxyHeaders.forRequest(client, "t", "10.0.0.9", Set.of("authorization"), (k, v) -> names.add(k.toLowerCase()));
        assertThat(names).doesNotContain("authorization");
    }

    @Test
    void responseKeepsEndToEndHeadersOnly() {
        Headers out = new Headers();
        ProxyHeaders.forResponse(Map.of(
                "content-type", List.of("application/json"),
                "content-length", List.of("10"),
                "transfer-encoding", List.of("chunked"),
                "connection", List.of("close, x-hop"),
                "x-hop", List.of("1"),
                "set-cookie", List.of("a=1", "b=2"),
                "retry-after", List.of("30")), out);
        assertThat(out).containsOnlyKeys("Content-type", "Set-cookie", "Retry-after");
        assertThat(out.get("Set-cookie")).containsExactly("a=1", "b=2");
    }
}

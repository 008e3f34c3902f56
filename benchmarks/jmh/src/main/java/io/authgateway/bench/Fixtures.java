package io.authgateway.bench;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import io.authgateway.auth.HmacAlgorithm;
import io.authgateway.auth.HmacTokenSigner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Tokens and request headers shaped like a Prometheus remote-write push, shared by the benchmarks. */
final class Fixtures {

    static final String SECRET = "jmh-benchmark-secret-0123456789abcdef";
    static final String TENANT = "tenant-0042";
    static final String TENANT_CLAIM = "tenant_id";

    private Fixtures() {
    }

    /** An HS256 token with the tenant claim, valid for a day from now. */
    static String token() {
        JsonObject claims = new JsonObject();
        claims.addProperty(TENANT_CLAIM, TENANT);
        long now = Instant.now().getEpochSecond();
        claims.addProperty("iat", now);
        claims.addProperty("exp", now + 86_400);
        return new HmacTokenSigner(HmacAlgorithm.HS256, SECRET.getBytes(StandardCharsets.UTF_8)).sign(claims);
    }

    /** The headers Prometheus sends with a remote-write push, plus the bearer token. */
    static Headers pushHeaders(String token) {
        Headers headers = new Headers();
        headers.add("Host", "127.0.0.1:8080");
        headers.add("User-Agent", "Prometheus/2.53.0");
        headers.add("Content-Type", "application/x-protobuf");
        headers.add("Content-Encoding", "snappy");
        headers.add("Content-Length", "1024");
        headers.add("X-Prometheus-Remote-Write-Version", "0.1.0");
        headers.add("Authorization", "Bearer " + token);
        headers.add("X-Scope-OrgID", "spoofed-by-client");
        return headers;
    }
}

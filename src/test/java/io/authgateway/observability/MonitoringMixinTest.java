package io.authgateway.observability;

import io.authgateway.routing.Upstream;
import io.authgateway.testing.Exposition;
import io.authgateway.testing.GatewayProcess;
import io.authgateway.testing.JwksServer;
import io.authgateway.testing.RecordingUpstream;
import io.authgateway.testing.TestGateway;
import io.authgateway.testing.TestKeys;
import io.authgateway.testing.TestPki;
import io.authgateway.testing.TlsClient;
import io.authgateway.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring mixin in {@code deploy/monitoring}: the rules pass {@code promtool check rules}
 * and their unit tests ({@code promtool test rules}), the Loki files are the Mimir ones with the
 * other namespace, and every metric the rules and dashboards name exists on a running gateway's
 * {@code /metrics}.
 */
class MonitoringMixinTest {

    private static final Path DIR = Path.of("deploy", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b(?:cortex_gateway|mimir_auth_gateway)_[a-z0-9_]+");

    @Test
    void rulesPassPromtoolCheckAndEveryAlertsUnitTest() throws Exception {
        assertThat(promtool("check", "rules", "mimir-gateway-rules.yaml", "loki-gateway-rules.yaml")).contains("SUCCESS: 16 rules found");
        assertThat(promtool("test", "rules", "rules-test.yaml")).contains("SUCCESS");
        Set<String> alerts = matches(Pattern.compile("- alert: (\\w+)"), read("mimir-gateway-rules.yaml"));
        Set<String> tested = matches(Pattern.compile("alertname: (\\w+)"), read("rules-test.yaml"));
        assertThat(tested).isEqualTo(alerts).hasSize(10);
    }

    @Test
    void theLokiFilesAreTheMimirOnesInTheLokiNamespace() throws Exception {
        assertThat(withoutComments(read("loki-gateway-rules.yaml")))
                .isEqualTo(withoutComments(read("mimir-gateway-rules.yaml")).replace("mimir_auth_gateway_", "loki_auth_gateway_"));
        assertThat(read("loki-gateway-dashboard.json").replace("\"Loki gateway\"", "\"Mimir gateway\"")
                .replace("auth-gateway-loki", "auth-gateway-mimir").replace("\"loki\"", "\"mimir\""))
                .isEqualTo(read("mimir-gateway-dashboard.json").replace("mimir_auth_gateway_", "loki_auth_gateway_"));
    }

    @Test
    void everyMetricTheRulesAndDashboardsUseExistsOnARunningGateway() throws Exception {
        Set<String> used = new TreeSet<>();
        used.addAll(metrics(read("mimir-gateway-rules.yaml")));
        used.addAll(metrics(read("mimir-gateway-dashboard.json")));
        assertThat(used).hasSizeGreaterThan(15);

        TestKeys key = TestKeys.generate("mixin", "RS256");
        try (RecordingUpstream upstream = new RecordingUpstream("any");
             JwksServer jwks = new JwksServer(TestKeys.jwks(key));
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base())
                     .upstream(Upstream.RULER, java.net.URI.create("http://127.0.0.1:" + GatewayProcess.freePort()))
                     .flags("-gateway.auth.jwks-url=" + jwks.url(), "-gateway.limits.write-requests-per-second=0.01",
                             "-gateway.limits.write-burst=1").start()) {
            // traffic that makes every lazily created series appear: a push and a query, a refused push,
            // a bad token, a ruler that is not there (upstream error)
            String token = Tokens.forTenant("mixin");
            for (int i = 0; i < 2; i++) {
                gateway.send(gateway.request("/api/v1/push").header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("x")));
            }
            gateway.get("/prometheus/api/v1/query?query=up", "Authorization", "Bearer " + token);
            gateway.get("/prometheus/api/v1/query?query=up", "Authorization", "Bearer not-a-token");
            gateway.get("/prometheus/config/v1/rules", "Authorization", "Bearer " + token);
            Exposition scraped = Exposition.parse(gateway.get("/metrics").body());
            Exposition tls = scrapeOverTls();
            List<String> missing = new ArrayList<>();
            for (String name : used) {
                if (!scraped.has(name) && !tls.has(name)) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("metrics used by deploy/monitoring but not on /metrics").isEmpty();
        }
    }

    /** The TLS metrics exist only on a gateway with an HTTPS listener: one is started for them. */
    private static Exposition scrapeOverTls() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.Authority ca = pki.authority("mixin");
        TestPki.Pair server = pki.server(ca, TestPki.KeyForm.EC_PKCS8);
        try (RecordingUpstream upstream = new RecordingUpstream("any");
             TestGateway gateway = TestGateway.mimir().upstream(upstream.base()).flags(
                     "-server.http-tls-cert-path=" + server.certificate(), "-server.http-tls-key-path=" + server.key()).start();
             javax.net.ssl.SSLSocket socket = TlsClient.trusting(ca.certificate(), null).connect(gateway.port())) {
            String answer = TlsClient.exchange(socket, TlsClient.get("/metrics", "Connection: close"));
            return Exposition.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private static Set<String> metrics(String text) {
        return matches(METRIC, text);
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
        }
        return found;
    }

    private static String withoutComments(String yaml) {
        return yaml.lines().filter(line -> !line.stripLeading().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private static String read(String file) throws IOException {
        return Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
    }

    /** Runs promtool (Debian's prometheus package; bin/lib/test-tools.sh installs it) in deploy/monitoring. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: run bin/lib/test-tools.sh (apt-get install prometheus)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}

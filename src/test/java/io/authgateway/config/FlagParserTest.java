package io.authgateway.config;

import io.authgateway.routing.Mode;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlagParserTest {

    private final FlagParser parser = new FlagParser(FlagCatalog.forMode(Mode.MIMIR));

    @Test
    void acceptsEveryGoSpelling() {
        ParsedFlags flags = parser.parse(List.of("-server.http-listen-port=8080", "-log.level", "debug",
                "--server.path-prefix=/gw", "--gateway.upstream.timeout", "90s"));
        assertThat(flags.errors()).isEmpty();
        assertThat(flags.integer("server.http-listen-port")).isEqualTo(8080);
        assertThat(flags.string("log.level")).isEqualTo("debug");
        assertThat(flags.string("server.path-prefix")).isEqualTo("/gw");
        assertThat(flags.duration("gateway.upstream.timeout")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void booleanFlagsNeedNoValueAndDoNotConsumeTheNextArgument() {
        ParsedFlags flags = parser.parse(List.of("-server.register-instrumentation", "-log.level=warn"));
        assertThat(flags.errors()).isEmpty();
        assertThat(flags.bool("server.register-instrumentation")).isTrue();
        assertThat(parser.parse(List.of("-server.register-instrumentation=false")).bool("server.register-instrumentation"))
                .isFalse();
        assertThat(parser.parse(List.of("--server.register-instrumentation=0")).bool("server.register-instrumentation"))
                .isFalse();
    }

    @Test
    void unsetFlagsReadAsTheirGoDefaults() {
        ParsedFlags flags = parser.parse(List.of());
        assertThat(flags.integer("server.http-listen-port")).isEqualTo(80);
        assertThat(flags.duration("server.graceful-shutdown-timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(flags.duration("server.http-idle-timeout")).isEqualTo(Duration.ofSeconds(120));
        assertThat(flags.string("gateway.auth.tenant-id-claim")).isEqualTo("tenant_id");
        assertThat(flags.duration("gateway.upstream.timeout")).isEqualTo(Duration.ofMinutes(2));
        assertThat(flags.duration("gateway.upstream.dial-timeout")).isEqualTo(Duration.ofSeconds(5));
        assertThat(flags.bool("server.register-instrumentation")).isTrue();
    }

    @Test
    void rulerAddressIsAlsoAcceptedUnderTheReadmeName() {
        ParsedFlags flags = parser.parse(List.of("-gateway.rules.address=http://ruler:8080"));
        assertThat(flags.errors()).isEmpty();
        assertThat(flags.string("gateway.ruler.address")).isEqualTo("http://ruler:8080");
    }

    @Test
    void collectsEveryProblemNamingFlagAndValue() {
        ParsedFlags flags = parser.parse(List.of("-nope=1", "-server.http-listen-port=eighty",
                "-server.http-read-timeout=30", "-server.register-instrumentation=maybe", "stray", "-log.level"));
        assertThat(flags.errors()).containsExactly(
                "flag provided but not defined: -nope",
                "invalid value \"eighty\" for flag -server.http-listen-port: parse error, expected an integer",
                "invalid value \"30\" for flag -server.http-read-timeout: invalid duration \"30\"",
                "invalid value \"maybe\" for flag -server.register-instrumentation: parse error, expected true or false",
                "unexpected argument \"stray\": flags start with -",
                "flag needs an argument: -log.level");
    }

    @Test
    void grpcFlagsAreAcceptedWithOneWarning() {
        ParsedFlags flags = parser.parse(List.of("-server.grpc-listen-port=9095", "-server.grpc-max-recv-msg-size-bytes",
                "104857600", "-server.grpc.keepalive.time=2h"));
        assertThat(flags.errors()).isEmpty();
        assertThat(flags.warnings()).singleElement().asString()
                .contains("-server.grpc-listen-port", "-server.grpc-max-recv-msg-size-bytes", "-server.grpc.keepalive.time");
    }

    @Test
    void modeDecidesWhichUpstreamFlagsExist() {
        FlagParser loki = new FlagParser(FlagCatalog.forMode(Mode.LOKI));
        assertThat(loki.parse(List.of("-gateway.querier.address=http://q")).errors()).isEmpty();
        assertThat(loki.parse(List.of("-gateway.alertmanager.address=http://a")).errors())
                .containsExactly("flag provided but not defined: -gateway.alertmanager.address");
        assertThat(parser.parse(List.of("-gateway.querier.address=http://q")).errors())
                .containsExactly("flag provided but not defined: -gateway.querier.address");
    }

    @Test
    void helpIsRecognisedInEitherSpelling() {
        assertThat(parser.parse(List.of("-help")).helpRequested()).isTrue();
        assertThat(parser.parse(List.of("--h")).helpRequested()).isTrue();
    }
}

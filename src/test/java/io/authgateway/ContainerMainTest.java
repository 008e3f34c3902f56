package io.authgateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerMainTest {

    @Test
    void firstArgumentSelectsTheModeOverTheEnvironment() {
        assertThat(ContainerMain.arguments(List.of("loki", "-log.level=debug"), "mimir"))
                .containsExactly("loki", ContainerMain.PORT_FLAG, "-log.level=debug");
    }

    @Test
    void environmentSelectsTheModeWhenArgumentsAreOnlyFlags() {
        assertThat(ContainerMain.arguments(List.of("-gateway.auth.jwt-secret=s"), " loki "))
                .containsExactly("loki", ContainerMain.PORT_FLAG, "-gateway.auth.jwt-secret=s");
    }

    @Test
    void operatorPortFlagComesLastSoItWins() {
        assertThat(ContainerMain.arguments(List.of("-server.http-listen-port=9000"), "mimir"))
                .containsExactly("mimir", ContainerMain.PORT_FLAG, "-server.http-listen-port=9000");
    }

    @Test
    void noModeAnywhereGivesNoArguments() {
        assertThat(ContainerMain.arguments(List.of("-log.level=debug"), null)).isEmpty();
        assertThat(ContainerMain.arguments(List.of(), " ")).isEmpty();
    }

    @Test
    void unknownModeIsPassedOnForMainToReject() {
        assertThat(ContainerMain.arguments(List.of("cortex"), null)).containsExactly("cortex", ContainerMain.PORT_FLAG);
        assertThat(Main.run(new String[] {"cortex", ContainerMain.PORT_FLAG}, System.out, new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()))).isEqualTo(2);
    }
}

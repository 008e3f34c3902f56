package io.authgateway.access;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TenantChoiceTest {

    @Test
    void keepsTheClientsOrderTrimsSpacesAndCountsRepeatsOnce() {
        assertThat(TenantChoice.parse("b | a|b |c")).containsExactly("b", "a", "c");
        assertThat(TenantChoice.parse("a")).containsExactly("a");
    }

    @Test
    void emptyElementsStaySoThatTheyAreRefused() {
        assertThat(TenantChoice.parse("a||b")).containsExactly("a", "", "b");
        assertThat(TenantChoice.parse("a|")).containsExactly("a", "");
    }

    @Test
    void headerLinesAreJoinedAndBlankOnesIgnored() {
        assertThat(TenantChoice.fromHeader(null)).isEmpty();
        assertThat(TenantChoice.fromHeader(List.of(" "))).isEmpty();
        assertThat(TenantChoice.fromHeader(Arrays.asList("a", "b|c"))).isEqualTo(Optional.of("a|b|c"));
        assertThat(TenantChoice.fromHeader(List.of("", "a"))).isEqualTo(Optional.of("a"));
    }
}

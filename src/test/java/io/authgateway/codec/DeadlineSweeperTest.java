package io.authgateway.codec;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineSweeperTest {

    @Test
    void runsAnArmedDeadlineOnceWhenItPassesAndNeverADisarmedOne() {
        try (DeadlineSweeper sweeper = new DeadlineSweeper("test", Duration.ofHours(1))) {
            AtomicInteger expired = new AtomicInteger();
            AtomicInteger untouched = new AtomicInteger();
            DeadlineSweeper.Deadline armed = sweeper.register(expired::incrementAndGet);
            DeadlineSweeper.Deadline disarmed = sweeper.register(untouched::incrementAndGet);
            armed.arm(Duration.ofMillis(5));
            disarmed.arm(Duration.ofMillis(5));
            disarmed.disarm();
            long now = System.nanoTime();
            sweeper.sweep(now);
            assertThat(expired).hasValue(0);
            sweeper.sweep(now + Duration.ofMillis(6).toNanos());
            sweeper.sweep(now + Duration.ofMillis(60).toNanos());
            assertThat(expired).hasValue(1);
            assertThat(armed.expired()).isTrue();
            assertThat(untouched).hasValue(0);
            assertThat(disarmed.expired()).isFalse();
        }
    }

    @Test
    void anExpiryActionThatThrowsDoesNotStopTheOthers() {
        try (DeadlineSweeper sweeper = new DeadlineSweeper("test", Duration.ofHours(1))) {
            AtomicInteger expired = new AtomicInteger();
            sweeper.register(() -> {
                throw new IllegalStateException("broken action");
            }).arm(Duration.ofMillis(1));
            sweeper.register(expired::incrementAndGet).arm(Duration.ofMillis(1));
            sweeper.sweep(System.nanoTime() + Duration.ofSeconds(1).toNanos());
            assertThat(expired).hasValue(1);
            assertThat(sweeper.failures()).isEqualTo(1);
        }
    }

    @Test
    void aCancelledDeadlineIsForgotten() {
        try (DeadlineSweeper sweeper = new DeadlineSweeper("test", Duration.ofHours(1))) {
            AtomicInteger expired = new AtomicInteger();
            DeadlineSweeper.Deadline deadline = sweeper.register(expired::incrementAndGet);
            deadline.arm(Duration.ofMillis(1));
            deadline.cancel();
            sweeper.sweep(System.nanoTime() + Duration.ofSeconds(1).toNanos());
            assertThat(expired).hasValue(0);
            assertThat(sweeper.registered()).isZero();
        }
    }

    @Test
    void theSweeperThreadClosesOnTime() throws InterruptedException {
        try (DeadlineSweeper sweeper = new DeadlineSweeper("test", DeadlineSweeper.tickFor(Duration.ofMillis(200)))) {
            java.util.concurrent.CountDownLatch fired = new java.util.concurrent.CountDownLatch(1);
            long started = System.nanoTime();
            sweeper.register(fired::countDown).arm(Duration.ofMillis(200));
            assertThat(fired.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
        }
    }

    @Test
    void ticksAreATenthOfTheShortestTimeoutWithinBounds() {
        assertThat(DeadlineSweeper.tickFor(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(DeadlineSweeper.tickFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(DeadlineSweeper.tickFor(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(10));
    }
}

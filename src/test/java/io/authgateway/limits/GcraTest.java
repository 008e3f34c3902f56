package io.authgateway.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The GCRA arithmetic on a fixed clock (nanoseconds). */
class GcraTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Rate TWENTY_PER_SECOND = Rate.of(20, 20);

    @Test
    void aRestedBucketTakesItsWholeBurstAtOnceThenRefusesWithTheTimeUntilOneMoreFits() {
        long now = 1000 * SECOND;
        long tat = now;
        for (int i = 0; i < 20; i++) {
            Gcra.Step step = Gcra.take(tat, now, TWENTY_PER_SECOND, 1);
            assertThat(step.allowed()).as("request %d", i).isTrue();
            tat = step.tat();
        }
        Gcra.Step refused = Gcra.take(tat, now, TWENTY_PER_SECOND, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.tat()).isEqualTo(tat);
        assertThat(refused.waitNanos()).isEqualTo(SECOND / 20);
        assertThat(Gcra.take(tat, now + SECOND / 20, TWENTY_PER_SECOND, 1).allowed()).isTrue();
    }

    @Test
    void aSteadyClientAtTheRateIsNeverRefused() {
        long now = 0;
        long tat = 0;
        for (int i = 0; i < 1000; i++) {
            Gcra.Step step = Gcra.take(tat, now, Rate.of(20, 1), 1);
            assertThat(step.allowed()).isTrue();
            tat = step.tat();
            now += SECOND / 20;
        }
    }

    @Test
    void overTenSecondsAtFullSpeedTheBucketPassesRateTimesTimePlusBurst() {
        long tat = 0;
        int passed = 0;
        for (long now = 0; now <= 10 * SECOND; now += SECOND / 1000) { // 1000 tries per second
            Gcra.Step step = Gcra.take(tat, now, TWENTY_PER_SECOND, 1);
            if (step.allowed()) {
                passed++;
                tat = step.tat();
            }
        }
        assertThat(passed).isEqualTo(20 * 10 + 20);
    }

    @Test
    void bytesUpToTheBurstPassThenTheWaitIsForTheMissingBytes() {
        Rate fourMiB = Rate.of(4 << 20, 0); // burst: one second's worth
        Gcra.Step first = Gcra.take(0, 0, fourMiB, 3 << 20);
        assertThat(first.allowed()).isTrue();
        Gcra.Step second = Gcra.take(first.tat(), 0, fourMiB, 2 << 20);
        assertThat(second.allowed()).isFalse();
        assertThat(second.waitNanos()).isEqualTo(SECOND / 4); // 1 MiB missing at 4 MiB/s
    }

    @Test
    void oneBodyLargerThanTheBurstPassesOnARestedBucketAndItsExcessIsDebt() {
        Rate fourMiB = Rate.of(4 << 20, 0);
        Gcra.Step big = Gcra.take(0, 0, fourMiB, 12 << 20);
        assertThat(big.allowed()).isTrue();
        assertThat(big.tat()).isEqualTo(3 * SECOND);
        Gcra.Step next = Gcra.take(big.tat(), 0, fourMiB, 1);
        assertThat(next.allowed()).isFalse();
        assertThat(next.waitNanos()).isEqualTo(2 * SECOND + fourMiB.nanosFor(1)); // until the debt is within the burst
        Gcra.Step tooBigWhileOwing = Gcra.take(big.tat(), SECOND, fourMiB, 12 << 20);
        assertThat(tooBigWhileOwing.waitNanos()).isEqualTo(2 * SECOND); // until the bucket owes nothing
    }

    @Test
    void aChargeIsAlwaysTakenAndAZeroTakeWaitsWhileTheDebtIsOverTheBurst() {
        Rate oneMiB = Rate.of(1 << 20, 0);
        long tat = Gcra.charge(0, 0, oneMiB, 5 << 20);
        assertThat(tat).isEqualTo(5 * SECOND);
        assertThat(Gcra.take(tat, 0, oneMiB, 0).allowed()).isFalse();
        assertThat(Gcra.take(tat, 0, oneMiB, 0).waitNanos()).isEqualTo(4 * SECOND);
        assertThat(Gcra.take(tat, 4 * SECOND, oneMiB, 0).allowed()).isTrue();
        assertThat(Gcra.charge(tat, 10 * SECOND, oneMiB, 1 << 20)).isEqualTo(11 * SECOND); // no credit for idle time
    }

    @Test
    void aFractionalRateSpacesRequestsByItsInterval() {
        Rate halfPerSecond = Rate.of(0.5, 0);
        assertThat(halfPerSecond.burst()).isEqualTo(1);
        Gcra.Step first = Gcra.take(0, 0, halfPerSecond, 1);
        Gcra.Step second = Gcra.take(first.tat(), 0, halfPerSecond, 1);
        assertThat(second.allowed()).isFalse();
        assertThat(second.waitNanos()).isEqualTo(2 * SECOND);
    }

    @Test
    void aRateSharedByReplicasDividesRateAndBurst() {
        assertThat(Rate.of(20, 10).dividedBy(2)).isEqualTo(new Rate(10, 5));
        assertThat(Rate.of(20, 1).dividedBy(3).burst()).isEqualTo(1);
    }
}

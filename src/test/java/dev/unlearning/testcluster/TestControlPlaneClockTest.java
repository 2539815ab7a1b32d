package dev.unlearning.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** When kube-api-test's time-of-day deadline would wrap past midnight, and when it would not. */
class TestControlPlaneClockTest {

    @Test
    void aDeadlinePastMidnightWrapsAndOneBeforeItDoesNot() {
        Duration timeout = Duration.ofSeconds(120);
        assertThat(TestControlPlane.deadlineWrapsPastMidnight(LocalTime.of(23, 59, 58), timeout))
                .as("the start CI saw fail").isTrue();
        assertThat(TestControlPlane.deadlineWrapsPastMidnight(LocalTime.of(23, 57, 0), timeout)).isFalse();
        assertThat(TestControlPlane.deadlineWrapsPastMidnight(LocalTime.of(23, 58, 0), timeout))
                .as("a deadline of 00:00 is before every later time of the day").isTrue();
        assertThat(TestControlPlane.deadlineWrapsPastMidnight(LocalTime.of(0, 0, 1), timeout)).isFalse();
        assertThat(TestControlPlane.deadlineWrapsPastMidnight(LocalTime.NOON, timeout)).isFalse();
    }
}

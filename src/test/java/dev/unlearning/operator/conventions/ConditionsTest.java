package dev.unlearning.operator.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> list = new ArrayList<>();
        Conditions at10 = new Conditions(Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC));
        Conditions at11 = new Conditions(Clock.fixed(Instant.parse("2026-01-01T11:00:00Z"), ZoneOffset.UTC));

        assertThat(at10.set(list, "Ready", "False", "AwaitingTraining", "no version", 1)).isTrue();
        assertThat(at11.set(list, "Ready", "False", "AwaitingTraining", "no version", 1)).as("nothing changed").isFalse();
        assertThat(at11.set(list, "Ready", "False", "RollingOut", "rolling out", 2)).isTrue();
        assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(list.get(0).getObservedGeneration()).isEqualTo(2L);

        at11.set(list, "Ready", "True", "Serving", "serving 1", 2);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T11:00:00Z");
    }
}

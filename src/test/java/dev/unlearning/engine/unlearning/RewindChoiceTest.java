package dev.unlearning.engine.unlearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RewindChoiceTest {

    @Test
    void keepsTheEpochWhoseForgetErrorIsClosestToTheTarget() {
        List<RewindChoice.Epoch> epochs = List.of(new RewindChoice.Epoch(0.02, 0.90, 0.85),
                new RewindChoice.Epoch(0.14, 0.90, 0.85), new RewindChoice.Epoch(0.40, 0.90, 0.85));

        assertThat(RewindChoice.choose(epochs, 0.15, 0.89, 0.84)).isEqualTo(1);
    }

    @Test
    void neverKeepsAnEpochBelowTheRetainOrHeldOutFloor() {
        // Epoch 1 matches the target best but lost retain accuracy; epoch 2 lost held-out accuracy.
        List<RewindChoice.Epoch> epochs = List.of(new RewindChoice.Epoch(0.02, 0.90, 0.85),
                new RewindChoice.Epoch(0.15, 0.80, 0.85), new RewindChoice.Epoch(0.16, 0.90, 0.70));

        assertThat(RewindChoice.choose(epochs, 0.15, 0.89, 0.84)).isEqualTo(0);
    }

    @Test
    void theLastEpochStandsWhenNoneKeepsTheFloor() {
        List<RewindChoice.Epoch> epochs = List.of(new RewindChoice.Epoch(0.15, 0.50, 0.85),
                new RewindChoice.Epoch(0.60, 0.60, 0.60));

        assertThat(RewindChoice.choose(epochs, 0.15, 0.89, 0.84)).isEqualTo(1);
    }

    @Test
    void refusesAnEmptyHistory() {
        assertThatThrownBy(() -> RewindChoice.choose(List.of(), 0.1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

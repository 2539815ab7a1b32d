package dev.unlearning.engine.unlearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.unlearning.engine.TorchRuntime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SalUn's one threshold over all of a model's weights, on magnitudes small enough to check by hand. */
class SaliencyThresholdTest {

    @BeforeAll
    static void engine() {
        TorchRuntime.engine(1);
    }

    @Test
    void oneThresholdOverEveryParameterKeepsTheLargestFraction() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var magnitudes = List.of(manager.create(new float[] {1, 8, 3}), manager.create(new float[][] {{2, 7}, {5, 4}, {6, 0}}));

            assertThat(SalUn.topFractionThreshold(magnitudes, 0.5)).as("top 5 of 9: 8,7,6,5,4").isEqualTo(4f);
            assertThat(SalUn.topFractionThreshold(magnitudes, 0.25)).as("top 2 of 9, rounded").isEqualTo(7f);
            assertThat(SalUn.topFractionThreshold(magnitudes, 1.0)).isEqualTo(0f);
        }
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var magnitudes = List.of(manager.create(new float[] {1, 2}));

            assertThatThrownBy(() -> SalUn.topFractionThreshold(magnitudes, 0))
                    .hasMessageContaining("salunSparsity");
            assertThatThrownBy(() -> SalUn.topFractionThreshold(magnitudes, 1.5))
                    .hasMessageContaining("salunSparsity");
        }
    }
}

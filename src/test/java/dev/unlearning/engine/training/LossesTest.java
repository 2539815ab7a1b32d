package dev.unlearning.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.unlearning.engine.TorchRuntime;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void crossEntropyMatchesAHandComputedValue() {
        TorchRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager(TorchRuntime.ENGINE)) {
            NDArray logits = m.create(new float[] {0, 0, (float) Math.log(2)}, new Shape(1, 3));
            // softmax = (1/4, 1/4, 1/2): the loss of label 2 is ln 2, of label 0 is ln 4.
            assertThat(Losses.crossEntropy(logits, m.create(new int[] {2})).getFloat()).isCloseTo((float) Math.log(2), within(1e-5f));
            assertThat(Losses.crossEntropy(logits, m.create(new int[] {0})).getFloat()).isCloseTo((float) Math.log(4), within(1e-5f));
        }
    }

    @Test
    void distillationKlIsZeroForEqualLogitsAndPositiveOtherwise() {
        TorchRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager(TorchRuntime.ENGINE)) {
            NDArray a = m.create(new float[] {1, 2, 3, 0, 0, 0}, new Shape(2, 3));
            NDArray b = m.create(new float[] {3, 2, 1, 0, 0, 0}, new Shape(2, 3));
            assertThat(Losses.distillationKl(a, a, 2).getFloat()).isCloseTo(0f, within(1e-6f));
            // Row 1: T=1, p=softmax(1,2,3), q=softmax(3,2,1): KL = sum p (log p - log q) = 2*(p3 - p1); row 2 is 0.
            double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
            double expected = 2 * (Math.exp(1) / z * 0 + (Math.exp(3) - Math.exp(1)) / z) / 2;
            assertThat(Losses.distillationKl(b, a, 1).getFloat()).isCloseTo((float) expected, within(1e-5f));
        }
    }
}

package dev.unlearning.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aucCountsPairsAndHalvesTies() {
        // Pairs (p, n): (3,1) (3,2) (3,2) win; (2,1) wins, (2,2) tie, (2,2) tie -> (4 + 2*0.5) / 6.
        assertThat(Metrics.auc(new double[] {3, 2}, new double[] {1, 2, 2})).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(Metrics.auc(new double[] {1}, new double[] {2})).isZero();
        assertThat(Metrics.auc(new double[] {5, 5}, new double[] {5})).isEqualTo(0.5);
        assertThat(Metrics.auc(new double[0], new double[] {1})).isNaN();
    }

    @Test
    void accuracyAndLossesFollowTheLabels() {
        float[][] p = {{0.7f, 0.3f}, {0.4f, 0.6f}, {0.9f, 0.1f}};
        int[] labels = {0, 1, 1};
        assertThat(Metrics.accuracy(p, labels)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Metrics.losses(p, labels)).containsExactly(
                new double[] {-Math.log(0.7f), -Math.log(0.6f), -Math.log(0.1f)}, within(1e-9));
        assertThat(Metrics.entropies(new float[][] {{0.5f, 0.5f}})[0]).isCloseTo(Math.log(2), within(1e-9));
    }

    @Test
    void logisticRegressionSeparatesSeparableData() {
        double[][] x = {{0.1, 5}, {0.2, 4}, {0.3, 6}, {0.9, 5}, {0.8, 4}, {0.7, 6}};
        int[] y = {0, 0, 0, 1, 1, 1};
        LogisticRegression model = LogisticRegression.fit(x, y, 500, 0.5);
        for (int i = 0; i < x.length; i++) {
            assertThat(model.probability(x[i]) >= 0.5).as("row %d", i).isEqualTo(y[i] == 1);
        }
    }
}

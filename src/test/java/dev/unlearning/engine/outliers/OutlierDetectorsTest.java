package dev.unlearning.engine.outliers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The detectors against cases worked by hand, and the selection of what they flag. */
class OutlierDetectorsTest {

    @Test
    void theLocalOutlierFactorOfAFarPointOnALineIsWorkedByHand() {
        // k = 1 on {0, 1, 3, 10}: k-distances 1, 1, 2, 7; reach-distances to the one neighbour 1, 1, max(1, 2) = 2,
        // max(2, 7) = 7; lrd 1, 1, 1/2, 1/7; LOF = lrd(neighbour) / lrd(self) = 1, 1, 2, 3.5.
        double[] lof = new LocalOutlierFactor(1).scores(line(0, 1, 3, 10));
        assertThat(lof).containsExactly(new double[] {1, 1, 2, 3.5}, within(1e-12));
    }

    @Test
    void aTieAtTheKDistanceJoinsTheNeighbourhood() {
        // k = 1 on {0, 2, 4}: the middle point has two neighbours at distance 2, both in N_1; every lrd is 1/2.
        assertThat(new LocalOutlierFactor(1).scores(line(0, 2, 4))).containsExactly(new double[] {1, 1, 1},
                within(1e-12));
        assertThat(new LocalOutlierFactor(5).scores(line(0, 2, 4))).as("fewer records than k: nothing stands out")
                .containsExactly(1, 1, 1);
    }

    @Test
    void theAveragePathOfAnUnsuccessfulSearchIsThePapers() {
        assertThat(IsolationForest.averagePath(1)).isZero();
        assertThat(IsolationForest.averagePath(2)).isEqualTo(1);
        // 2 (ln 255 + 0.5772156649) - 2 * 255 / 256 = 12.2369584 - 1.9921875
        assertThat(IsolationForest.averagePath(256)).isCloseTo(10.2447709, within(1e-6));
        // Two records, one tree: either split isolates both at depth 1, and c(2) = 1, so both score 2^-1.
        assertThat(new IsolationForest(1, 2, 7).scores(new float[][] {{0, 0}, {5, 5}})).containsExactly(0.5, 0.5);
    }

    @Test
    void bothDetectorsRankAFarRecordAboveAClusterAndAreDeterministic() {
        Random random = new Random(3);
        float[][] points = new float[301][];
        for (int i = 0; i < 300; i++) {
            points[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian()};
        }
        points[300] = new float[] {9, -9};
        for (OutlierDetector detector : new OutlierDetector[] {IsolationForest.defaults(11), new LocalOutlierFactor(10)}) {
            double[] scores = detector.scores(points);
            double clusterMax = Arrays.stream(scores, 0, 300).max().orElseThrow();
            assertThat(scores[300]).as("%s", detector.getClass().getSimpleName()).isGreaterThan(clusterMax);
            assertThat(detector.scores(points)).containsExactly(scores);
        }
        double[] forest = IsolationForest.defaults(11).scores(points);
        assertThat(forest[300]).as("near 1 for an outlier").isGreaterThan(0.7);
        assertThat(Arrays.stream(forest, 0, 300).sorted().toArray()[150]).as("ordinary records, below 0.5")
                .isLessThan(0.5);
        assertThat(IsolationForest.defaults(12).scores(points)).as("another seed grows other trees")
                .isNotEqualTo(forest);
    }

    @Test
    void theHighestShareIsFlaggedTiesByPositionAndPerClass() {
        double[] scores = {0.1, 0.9, 0.5, 0.9};
        assertThat(Outliers.top(scores, 0.5)).containsExactly(1, 3);
        assertThat(Outliers.top(scores, 0.25)).containsExactly(1);
        assertThat(Outliers.top(scores, 0.3)).as("ceil(0.3 · 4) = 2").containsExactly(1, 3);
        assertThatThrownBy(() -> Outliers.top(scores, 0)).hasMessageContaining("(0, 0.5]");
        assertThatThrownBy(() -> Outliers.top(scores, 0.6)).hasMessageContaining("(0, 0.5]");

        float[][] points = line(0, 1, 2, 50, 100, 101, 102, 40);
        int[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        assertThat(Outliers.topPerClass(new LocalOutlierFactor(1), points, labels, 0.25))
                .as("the far record of each class").containsExactly(3, 7);
    }

    private static float[][] line(float... xs) {
        return Arrays.stream(toObjects(xs)).map(x -> new float[] {x}).toArray(float[][]::new);
    }

    private static Float[] toObjects(float[] xs) {
        Float[] boxed = new Float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            boxed[i] = xs[i];
        }
        return boxed;
    }
}

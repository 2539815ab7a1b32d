package dev.unlearning.engine.knn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.unlearning.engine.data.ByteFeatures;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FloatFeatures;
import dev.unlearning.engine.data.RecordIds;
import dev.unlearning.engine.model.ModelState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nearest-neighbour index against cases small enough to check by hand. */
class KnnIndexTest {

    /** Six records on a line: three of class 0 near 0, three of class 1 near 10. */
    static Dataset line() {
        float[] x = {0, 1, 2, 10, 11, 12};
        return new Dataset("line", RecordIds.explicit(List.of("a", "b", "c", "d", "e", "f")), new int[] {0, 0, 0, 1, 1, 1},
                null, new FloatFeatures(x, 1), new long[] {1}, 2);
    }

    @Test
    void theKNearestRecordsVoteWithSmoothing() throws Exception {
        try (KnnIndex index = KnnIndex.of(line(), new int[] {0, 1, 2, 3, 4, 5}, 2);
                NDManager m = NDManager.newBaseManager()) {
            // 4.0: nearest 2 (class 0), 1 (0), 0 or 10 (distance 4 and 6: 0) -> 3 votes for 0 of k = 3.
            // 6.4: nearest 10 (distance 3.6: 1), 2 (4.4: 0), 11 (4.6: 1) -> 1 vote for 0, 2 for 1.
            float[] p = index.probabilities(m.create(new float[] {4, 6.4f}, new Shape(2, 1)), 3).toFloatArray();
            float total = 3 + 2 * KnnIndex.SMOOTHING;
            assertThat(p[0]).isCloseTo((3 + KnnIndex.SMOOTHING) / total, within(1e-6f));
            assertThat(p[1]).isCloseTo(KnnIndex.SMOOTHING / total, within(1e-6f));
            assertThat(p[2]).isCloseTo((1 + KnnIndex.SMOOTHING) / total, within(1e-6f));
            assertThat(p[3]).isCloseTo((2 + KnnIndex.SMOOTHING) / total, within(1e-6f));
        }
    }

    @Test
    void aTrainingRecordIsItsOwnNearestNeighbourUntilItIsDropped() throws Exception {
        // Record "c" at 2 carries label 1: mislabelled among class 0. With k = 1 it answers its own label.
        Dataset noisy = line().withRecords(new int[] {2}, new float[][] {{2}}, new int[] {1});
        try (KnnIndex with = KnnIndex.of(noisy, new int[] {0, 1, 2, 3, 4, 5}, 2);
                KnnIndex without = KnnIndex.of(noisy, new int[] {0, 1, 3, 4, 5}, 2);
                NDManager m = NDManager.newBaseManager()) {
            var query = m.create(new float[] {2}, new Shape(1, 1));
            assertThat(with.probabilities(query, 1).argMax(1).getLong()).isEqualTo(1);
            assertThat(without.probabilities(query, 1).argMax(1).getLong()).as("its neighbour at 1 answers").isZero();
        }
    }

    @Test
    void anIndexBuiltWithoutARecordIsByteForByteOneThatNeverHadIt() throws Exception {
        Dataset data = line();
        byte[] dropped = KnnIndex.of(data, new int[] {0, 2, 3, 4, 5}, 2).state();
        Dataset neverHad = new Dataset("line", RecordIds.explicit(List.of("a", "c", "d", "e", "f")), new int[] {0, 0, 1, 1, 1},
                null, new FloatFeatures(new float[] {0, 2, 10, 11, 12}, 1), new long[] {1}, 2);
        assertThat(dropped).isEqualTo(KnnIndex.of(neverHad, new int[] {0, 1, 2, 3, 4}, 2).state());
        assertThat(KnnIndex.fromState(dropped)).isEqualTo(KnnIndex.of(neverHad, new int[] {0, 1, 2, 3, 4}, 2));
    }

    @Test
    void pixelsAreStoredAsBytesAndComeBackExactly() throws Exception {
        byte[] pixels = {0, 17, (byte) 128, (byte) 255, 3, 9, 27, 81};
        Dataset images = new Dataset("px", RecordIds.explicit(List.of("p", "q")), new int[] {0, 1}, null,
                new ByteFeatures(pixels, 4), new long[] {4}, 2);
        KnnIndex index = KnnIndex.of(images, new int[] {0, 1}, 2);
        byte[] state = index.state();
        assertThat(state).hasSize(17 + 2 * 4 + 8);
        assertThat(KnnIndex.fromState(state)).isEqualTo(index);
        // Non-pixel features keep their floats.
        assertThat(KnnIndex.of(line(), new int[] {3, 4}, 2).state()).hasSize(17 + 2 * 4 + 2 * 4);
    }

    @Test
    void anEmptyShardAnswersUniformlyAndACorruptCheckpointIsRefused() throws Exception {
        try (KnnIndex empty = KnnIndex.of(line(), new int[0], 2); NDManager m = NDManager.newBaseManager()) {
            assertThat(empty.probabilities(m.create(new float[] {3}, new Shape(1, 1)), 5).toFloatArray())
                    .containsExactly(0.5f, 0.5f);
        }
        byte[] state = KnnIndex.of(line(), new int[] {0, 1, 2}, 2).state();
        assertThatThrownBy(() -> KnnIndex.fromState(Arrays.copyOf(state, state.length - 2)))
                .isInstanceOf(ModelState.CorruptModelException.class).hasMessageContaining("truncated");
        byte[] badLabel = state.clone();
        badLabel[17 + 3] = 7;
        assertThatThrownBy(() -> KnnIndex.fromState(badLabel)).isInstanceOf(ModelState.CorruptModelException.class)
                .hasMessageContaining("outside 2 classes");
        assertThatThrownBy(() -> KnnIndex.fromState(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(ModelState.CorruptModelException.class);
    }
}

package dev.unlearning.engine.outliers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.OutlierDetectorType;
import dev.unlearning.api.OutlierSelector;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FloatFeatures;
import dev.unlearning.engine.data.RecordIds;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The selector over a dataset: what the unlearn, finalize and detect roles all run, so it must pick the same rows
 * every time and refuse what it cannot compute.
 */
class OutlierSearchTest {

    /** Two classes of 100 around (0, 0) and (10, 10); row 7 (class 1) and row 150 (class 0) sit in the other's. */
    static Dataset twoClassesWithTwoMislabelled() {
        Random random = new Random(3);
        int n = 200;
        float[] features = new float[n * 2];
        int[] labels = new int[n];
        for (int row = 0; row < n; row++) {
            int cluster = row < 100 ? 0 : 1;
            labels[row] = cluster;
            features[row * 2] = (float) (cluster * 10 + random.nextGaussian());
            features[row * 2 + 1] = (float) (cluster * 10 + random.nextGaussian());
        }
        labels[7] = 1;
        labels[150] = 0;
        return new Dataset("two", RecordIds.explicit(IntStream.range(0, n).mapToObj(i -> "r" + i).toList()), labels,
                null, new FloatFeatures(features, 2), new long[] {2}, 2);
    }

    static OutlierSelector selector(OutlierDetectorType detector, double contamination, boolean perClass) {
        OutlierSelector selector = new OutlierSelector();
        selector.setDetector(detector);
        selector.setContamination(contamination);
        selector.setPerClass(perClass);
        return selector;
    }

    @Test
    void perClassEachDetectorFindsTheRecordsThatSitAmongTheOtherClass() {
        Dataset data = twoClassesWithTwoMislabelled();
        for (OutlierDetectorType detector : OutlierDetectorType.values()) {
            // ceil(0.01 · 200) = 2 records, scored within their classes.
            OutlierSearch.Found found = OutlierSearch.find(selector(detector, 0.01, true), data);
            assertThat(found.rows()).as("%s", detector).containsExactly(7, 150);
            assertThat(found.perClass()).as("%s", detector).containsEntry(0, 1).containsEntry(1, 1);
        }
    }

    @Test
    void overAllRecordsAMislabelledRecordIsNoOutlier() {
        // Its features sit inside a cluster; only its label is wrong, which the whole-data view cannot see.
        OutlierSearch.Found found = OutlierSearch.find(selector(OutlierDetectorType.ISOLATION_FOREST, 0.01, false),
                twoClassesWithTwoMislabelled());
        assertThat(found.rows()).hasSize(2).doesNotContain(7, 150);
    }

    @Test
    void theSameDataAndSelectorAlwaysGiveTheSameRecords() {
        Dataset data = twoClassesWithTwoMislabelled();
        OutlierSelector wide = selector(OutlierDetectorType.ISOLATION_FOREST, 0.1, true);
        List<int[]> runs = IntStream.range(0, 3).mapToObj(i -> OutlierSearch.find(wide, data).rows()).toList();
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isEqualTo(runs.get(0));
        assertThat(runs.get(0)).hasSize(20);
    }

    @Test
    void lofRefusesAGroupItCannotHoldInMemoryNamingTheLimit() {
        int n = OutlierSearch.LOF_MAX_GROUP + 1;
        Dataset big = new Dataset("big", RecordIds.explicit(IntStream.range(0, n).mapToObj(i -> "r" + i).toList()),
                new int[n], null, new FloatFeatures(new float[n], 1), new long[] {1}, 1);
        assertThatThrownBy(() -> OutlierSearch.find(selector(OutlierDetectorType.LOCAL_OUTLIER_FACTOR, 0.01, false),
                big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds " + OutlierSearch.LOF_MAX_GROUP).hasMessageContaining("IsolationForest");
        assertThatThrownBy(() -> OutlierSearch.find(new OutlierSelector(), big))
                .hasMessageContaining("needs a detector and a contamination");
    }
}

package dev.unlearning.engine.outliers;

import dev.unlearning.api.OutlierDetectorType;
import dev.unlearning.api.OutlierSelector;
import dev.unlearning.api.OutlierSpace;
import dev.unlearning.engine.data.Dataset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs a {@code forget.outliers} selector on training data: the ceil(contamination · n) records with the highest
 * scores, each scored among its own class ({@code perClass}) or among all records. Deterministic: the same data
 * and selector give the same records in every pod of a run, in the finalizing pod and in a dry run, so what a dry
 * run reported is what a real request forgets on the same data.
 */
public final class OutlierSearch {

    /** The isolation forest's seed: fixed, so the selection depends on the data and the selector alone. */
    public static final long SEED = 1L;
    /**
     * The most records LOF scores in one group: its exact pairwise distances take n² doubles (20,000 records: 3.2
     * GB). Larger groups are refused rather than run out of memory mid-run.
     */
    public static final int LOF_MAX_GROUP = 20_000;

    /** The rows found, ascending, and how many of each label. */
    public record Found(int[] rows, Map<Integer, Integer> perClass) {
    }

    private OutlierSearch() {
    }

    public static Found find(OutlierSelector selector, Dataset train) {
        if (selector.getDetector() == null || selector.getContamination() == null) {
            throw new IllegalArgumentException("forget.outliers needs a detector and a contamination");
        }
        if (selector.getSpace() != null && selector.getSpace() != OutlierSpace.FEATURES) {
            throw new IllegalArgumentException("forget.outliers.space " + selector.getSpace() + " is not supported");
        }
        int[] labels = IntStream.range(0, train.size()).map(train::label).toArray();
        if (selector.getDetector() == OutlierDetectorType.LOCAL_OUTLIER_FACTOR) {
            int largest = selector.isPerClass() ? IntStream.of(labels).boxed()
                    .collect(Collectors.groupingBy(l -> l, Collectors.counting()))
                    .values().stream().mapToInt(Long::intValue).max().orElse(0) : labels.length;
            if (largest > LOF_MAX_GROUP) {
                throw new IllegalArgumentException("LocalOutlierFactor is exact and quadratic: a group of " + largest
                        + " records exceeds " + LOF_MAX_GROUP + (selector.isPerClass() ? "" : "; set perClass: true")
                        + " or use IsolationForest");
            }
        }
        // Copied only once the selector is known to be computable: a refused LOF copies no feature.
        float[][] points = points(train);
        OutlierDetector detector = selector.getDetector() == OutlierDetectorType.ISOLATION_FOREST
                ? IsolationForest.defaults(SEED) : LocalOutlierFactor.defaults();
        // Scored within each class where asked, but the share is always taken over all records: poison and label
        // noise crowd into a few classes, and an even share of every class spends most of the budget where there is
        // none (bench/run outliers: 7.9% against 18.8% precision on backdoors, 8.6% against 15.3% on flipped labels).
        double[] scores = selector.isPerClass() ? Outliers.scoresWithinClass(detector, points, labels)
                : detector.scores(points);
        int[] rows = Outliers.top(scores, selector.getContamination());
        Map<Integer, Integer> perClass = new TreeMap<>();
        for (int row : rows) {
            perClass.merge(labels[row], 1, Integer::sum);
        }
        return new Found(rows, perClass);
    }

    /** Every record's features as a point, the space {@code features} measures in. */
    public static float[][] points(Dataset train) {
        float[][] points = new float[train.size()][train.features().dim()];
        for (int row = 0; row < train.size(); row++) {
            train.features().copyRow(row, points[row], 0);
        }
        return points;
    }
}

package dev.unlearning.engine.outliers;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Turning scores into the records to forget: the highest {@code contamination} share, ties by position. */
public final class Outliers {

    private Outliers() {
    }

    /**
     * The indexes of the ceil(contamination · n) highest scores, ascending. Contamination must lie in (0, 0.5]: a
     * detector that flags half the data or more is not finding outliers.
     */
    public static int[] top(double[] scores, double contamination) {
        if (!(contamination > 0 && contamination <= 0.5)) {
            throw new IllegalArgumentException("contamination must be in (0, 0.5], not " + contamination);
        }
        int count = (int) Math.ceil(contamination * scores.length);
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed().thenComparing(i -> i))
                .limit(count).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The same within each label: {@code contamination} of every class, so a small class is not drowned out. */
    public static int[] topPerClass(OutlierDetector detector, float[][] points, int[] labels, double contamination) {
        return IntStream.of(labels).distinct().sorted().flatMap(label -> {
            int[] rows = IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
            float[][] members = Arrays.stream(rows).mapToObj(i -> points[i]).toArray(float[][]::new);
            return IntStream.of(top(detector.scores(members), contamination)).map(i -> rows[i]);
        }).sorted().toArray();
    }
}

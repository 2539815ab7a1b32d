package dev.unlearning.engine.outliers;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Turning scores into the records to forget: the highest {@code contamination} share, ties by position. Scores
 * can come from one detector over all records or from scoring each class on its own ({@link #scoresWithinClass});
 * either way the share can be taken over all records ({@link #top}) or within each class ({@link #topPerClass}).
 */
public final class Outliers {

    private Outliers() {
    }

    /**
     * The indexes of the ceil(contamination · n) highest scores, ascending. Contamination must lie in (0, 0.5]: a
     * detector that flags half the data or more is not finding outliers.
     */
    public static int[] top(double[] scores, double contamination) {
        checkContamination(contamination);
        int count = (int) Math.ceil(contamination * scores.length);
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed().thenComparing(i -> i))
                .limit(count).mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * Each record scored among the records of its own label only: a mislabelled record stands out among the class
     * it was given, not among all records, where it looks like the class it really is.
     */
    public static double[] scoresWithinClass(OutlierDetector detector, float[][] points, int[] labels) {
        double[] scores = new double[points.length];
        IntStream.of(labels).distinct().sorted().forEach(label -> {
            int[] rows = rowsOf(labels, label);
            double[] within = detector.scores(Arrays.stream(rows).mapToObj(i -> points[i]).toArray(float[][]::new));
            for (int i = 0; i < rows.length; i++) {
                scores[rows[i]] = within[i];
            }
        });
        return scores;
    }

    /** The top share within each label: {@code contamination} of every class, so a small class is not drowned out. */
    public static int[] topPerClass(double[] scores, int[] labels, double contamination) {
        checkContamination(contamination);
        return IntStream.of(labels).distinct().sorted().flatMap(label -> {
            int[] rows = rowsOf(labels, label);
            double[] within = IntStream.of(rows).mapToDouble(i -> scores[i]).toArray();
            return IntStream.of(top(within, contamination)).map(i -> rows[i]);
        }).sorted().toArray();
    }

    /** Scored within each class and the top share taken within each class. */
    public static int[] topPerClass(OutlierDetector detector, float[][] points, int[] labels, double contamination) {
        checkContamination(contamination);
        return topPerClass(scoresWithinClass(detector, points, labels), labels, contamination);
    }

    private static int[] rowsOf(int[] labels, int label) {
        return IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
    }

    private static void checkContamination(double contamination) {
        if (!(contamination > 0 && contamination <= 0.5)) {
            throw new IllegalArgumentException("contamination must be in (0, 0.5], not " + contamination);
        }
    }
}

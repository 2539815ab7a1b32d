package dev.unlearning.engine.evaluation;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The forget set measured against look-alike unseen data: held-out records of the same classes, weighted by
 * how many forgotten records each class has. A model that no longer holds the forget set should know it no
 * better than it knows these, so the comparison is like with like whatever the forget set is (random records,
 * one class, a person's records); absolute thresholds are not.
 *
 * <p>Both comparisons come with their chance allowance, {@link #Z} standard errors at the sample sizes
 * measured: one forgotten record is right or wrong, so on its own it proves nothing either way, and the
 * allowance says so in numbers instead of failing an exact retrain on a coin flip.
 *
 * @param lookAlikeAccuracy held-out accuracy on the forget set's classes, in the forget set's class mix
 * @param forgetAccuracyGap forget accuracy minus {@code lookAlikeAccuracy}
 * @param forgetAccuracyGapNoise {@link #Z} standard errors of that difference (binomial, per class)
 * @param miaAdvantage loss-attack AUC of forget against look-alike records, per class and weighted, minus 0.5
 * @param miaAdvantageNoise {@link #Z} standard errors of an AUC between sets of these sizes with no signal
 */
public record LookAlikeComparison(double lookAlikeAccuracy, double forgetAccuracyGap, double forgetAccuracyGapNoise,
        double miaAdvantage, double miaAdvantageNoise) {

    /** Three standard errors: an exact retrain strays past it by chance about once in 700 checks. */
    public static final double Z = 3.0;

    /**
     * Compares forget records with held-out ones; empty when there is nothing to compare: no forget record, or
     * a forgotten class with no held-out record to stand in for it (the gate then fails closed).
     */
    public static Optional<LookAlikeComparison> of(float[][] forgetProbabilities, int[] forgetLabels,
            float[][] heldOutProbabilities, int[] heldOutLabels) {
        if (forgetLabels.length == 0) {
            return Optional.empty();
        }
        Map<Integer, int[]> forgetByClass = byClass(forgetLabels);
        Map<Integer, int[]> heldOutByClass = byClass(heldOutLabels);
        double n = forgetLabels.length;
        double lookAlike = 0;
        double gapVariance = 0;
        double auc = 0;
        double aucVariance = 0;
        for (Map.Entry<Integer, int[]> entry : forgetByClass.entrySet()) {
            int[] forgetRows = entry.getValue();
            int[] heldOutRows = heldOutByClass.get(entry.getKey());
            if (heldOutRows == null) {
                return Optional.empty();
            }
            double weight = forgetRows.length / n;
            double p = Metrics.accuracy(pick(heldOutProbabilities, heldOutRows), pick(heldOutLabels, heldOutRows));
            double variance = p * (1 - p);
            lookAlike += weight * p;
            // Under "the model cannot tell them apart", forget records of this class are right as often as p.
            gapVariance += forgetRows.length * variance / (n * n) + weight * weight * variance / heldOutRows.length;
            double[] forgetLoss = Metrics.losses(pick(forgetProbabilities, forgetRows), pick(forgetLabels, forgetRows));
            double[] heldOutLoss = Metrics.losses(pick(heldOutProbabilities, heldOutRows),
                    pick(heldOutLabels, heldOutRows));
            auc += weight * Metrics.auc(negate(forgetLoss), negate(heldOutLoss));
            // Mann-Whitney variance with no signal: (n + m + 1) / (12 n m).
            aucVariance += weight * weight * (forgetRows.length + heldOutRows.length + 1)
                    / (12.0 * forgetRows.length * heldOutRows.length);
        }
        double forgetAccuracy = Metrics.accuracy(forgetProbabilities, forgetLabels);
        return Optional.of(new LookAlikeComparison(lookAlike, forgetAccuracy - lookAlike,
                Z * Math.sqrt(gapVariance), auc - 0.5, Z * Math.sqrt(aucVariance)));
    }

    private static Map<Integer, int[]> byClass(int[] labels) {
        Map<Integer, int[]> byClass = new TreeMap<>();
        for (int label : IntStream.of(labels).distinct().toArray()) {
            byClass.put(label, IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray());
        }
        return byClass;
    }

    private static float[][] pick(float[][] values, int[] rows) {
        return IntStream.of(rows).mapToObj(r -> values[r]).toArray(float[][]::new);
    }

    private static int[] pick(int[] values, int[] rows) {
        return IntStream.of(rows).map(r -> values[r]).toArray();
    }

    private static double[] negate(double[] values) {
        return Arrays.stream(values).map(v -> -v).toArray();
    }
}

package dev.unlearning.engine.evaluation;

import java.util.Arrays;

/** Pure metric functions over predicted probabilities. */
public final class Metrics {

    private static final double EPS = 1e-12;

    private Metrics() {
    }

    public static int argMax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Fraction of rows whose most probable class is the label; NaN for no rows. */
    public static double accuracy(float[][] probabilities, int[] labels) {
        if (labels.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argMax(probabilities[i]) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** Cross-entropy of each row's label. */
    public static double[] losses(float[][] probabilities, int[] labels) {
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = -Math.log(Math.max(EPS, probabilities[i][labels[i]]));
        }
        return out;
    }

    public static double[] confidences(float[][] probabilities) {
        return Arrays.stream(probabilities).mapToDouble(p -> p[argMax(p)]).toArray();
    }

    public static double[] entropies(float[][] probabilities) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            double h = 0;
            for (float q : probabilities[i]) {
                h -= q > 0 ? q * Math.log(q) : 0;
            }
            out[i] = h;
        }
        return out;
    }

    /**
     * Area under the ROC curve for scores where higher means "positive": the probability that a random
     * positive outscores a random negative, ties counting half (the Mann-Whitney U statistic).
     */
    public static double auc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        int n = positives.length + negatives.length;
        double[] all = new double[n];
        boolean[] positive = new boolean[n];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        Arrays.fill(positive, 0, positives.length, true);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double rankSumPositive = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += averageRank;
                }
            }
            i = j + 1;
        }
        double u = rankSumPositive - positives.length * (positives.length + 1) / 2.0;
        return u / ((double) positives.length * negatives.length);
    }
}

package dev.unlearning.engine.outliers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The local outlier factor of Breunig, Kriegel, Ng and Sander (SIGMOD 2000), over Euclidean distance: a record's
 * local reachability density compared with its neighbours'. With k-distance(o) the distance from o to its k-th
 * nearest other record, N_k(p) every other record within k-distance(p) (ties included), reach-dist(p, o) =
 * max(k-distance(o), d(p, o)) and lrd(p) = 1 / mean over N_k(p) of reach-dist(p, o), LOF(p) is the mean over
 * N_k(p) of lrd(o) / lrd(p): about 1 inside a cluster, well above 1 for an outlier. Exact, by all pairwise
 * distances: quadratic in the records it scores, which is why selectors score per class.
 */
public final class LocalOutlierFactor implements OutlierDetector {

    private final int neighbours;

    /** k = 20, the value the authors found to work across their experiments' lower bound (MinPts 10 to 20). */
    public static LocalOutlierFactor defaults() {
        return new LocalOutlierFactor(20);
    }

    public LocalOutlierFactor(int neighbours) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("LOF needs at least one neighbour");
        }
        this.neighbours = neighbours;
    }

    @Override
    public double[] scores(float[][] points) {
        int n = points.length;
        if (n <= neighbours) {
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0); // too few records to have k neighbours: none stands out
            return ones;
        }
        double[][] distance = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = euclidean(points[i], points[j]);
                distance[i][j] = d;
                distance[j][i] = d;
            }
        }
        double[] kDistance = new double[n];
        List<int[]> neighbourhoods = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] others = new double[n - 1];
            for (int j = 0, o = 0; j < n; j++) {
                if (j != i) {
                    others[o++] = distance[i][j];
                }
            }
            Arrays.sort(others);
            kDistance[i] = others[neighbours - 1];
            List<Integer> within = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != i && distance[i][j] <= kDistance[i]) {
                    within.add(j);
                }
            }
            neighbourhoods.add(within.stream().mapToInt(Integer::intValue).toArray());
        }
        double[] lrd = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int o : neighbourhoods.get(i)) {
                sum += Math.max(kDistance[o], distance[i][o]);
            }
            // Duplicates reach each other at distance 0: their density is infinite, as in the paper.
            lrd[i] = sum == 0 ? Double.POSITIVE_INFINITY : neighbourhoods.get(i).length / sum;
        }
        double[] lof = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int o : neighbourhoods.get(i)) {
                sum += ratio(lrd[o], lrd[i]);
            }
            lof[i] = sum / neighbourhoods.get(i).length;
        }
        return lof;
    }

    private static double ratio(double neighbour, double own) {
        if (Double.isInfinite(own)) {
            return Double.isInfinite(neighbour) ? 1 : 0;
        }
        return Double.isInfinite(neighbour) ? Double.MAX_VALUE : neighbour / own;
    }

    private static double euclidean(float[] a, float[] b) {
        double sum = 0;
        for (int q = 0; q < a.length; q++) {
            double d = a[q] - b[q];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}

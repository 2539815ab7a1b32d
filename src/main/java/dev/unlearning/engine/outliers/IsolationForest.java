package dev.unlearning.engine.outliers;

import java.util.Random;

/**
 * The isolation forest of Liu, Ting and Zhou (ICDM 2008): random axis-parallel splits isolate an outlier in
 * fewer steps than a typical record. Each of {@code trees} trees is grown on {@code subsample} records drawn
 * without replacement, to the height limit ceil(log2 subsample); a record's score is
 * {@code 2^(-E[h(x)] / c(subsample))}, where h is the path length with c(size) added at a leaf that still holds
 * {@code size} records, and c(n) = 2 H(n - 1) - 2 (n - 1) / n is the mean path of an unsuccessful search in a
 * binary search tree. Scores near 1 are outliers, well below 0.5 ordinary records.
 */
public final class IsolationForest implements OutlierDetector {

    private static final double EULER_GAMMA = 0.5772156649015329;

    private final int trees;
    private final int subsample;
    private final long seed;

    /** The paper's defaults: 100 trees of 256 records. */
    public static IsolationForest defaults(long seed) {
        return new IsolationForest(100, 256, seed);
    }

    public IsolationForest(int trees, int subsample, long seed) {
        if (trees < 1 || subsample < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least one tree of two records");
        }
        this.trees = trees;
        this.subsample = subsample;
        this.seed = seed;
    }

    /** The mean path length of an unsuccessful search among {@code n} records: c(n). */
    public static double averagePath(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        double harmonic = Math.log(n - 1) + EULER_GAMMA;
        return 2 * harmonic - 2.0 * (n - 1) / n;
    }

    @Override
    public double[] scores(float[][] points) {
        int n = points.length;
        double[] pathSums = new double[n];
        if (n == 0) {
            return pathSums;
        }
        int sample = Math.min(subsample, n);
        int heightLimit = (int) Math.ceil(Math.log(sample) / Math.log(2));
        Random random = new Random(seed);
        for (int t = 0; t < trees; t++) {
            Node root = grow(points, draw(n, sample, random), 0, sample, 0, heightLimit, random);
            for (int i = 0; i < n; i++) {
                pathSums[i] += root.path(points[i], 0);
            }
        }
        double normaliser = averagePath(sample);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = normaliser == 0 ? 0.5 : Math.pow(2, -(pathSums[i] / trees) / normaliser);
        }
        return scores;
    }

    /** {@code sample} distinct row indexes, a partial Fisher-Yates shuffle. */
    private static int[] draw(int n, int sample, Random random) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        for (int i = 0; i < sample; i++) {
            int j = i + random.nextInt(n - i);
            int swap = rows[i];
            rows[i] = rows[j];
            rows[j] = swap;
        }
        return rows;
    }

    private static Node grow(float[][] points, int[] rows, int from, int to, int depth, int heightLimit,
            Random random) {
        int size = to - from;
        if (depth >= heightLimit || size <= 1) {
            return Node.leaf(size);
        }
        int dim = points[rows[from]].length;
        // A random attribute among those that still vary here; none varies: the records cannot be told apart.
        int[] varying = new int[dim];
        int count = 0;
        float[] min = new float[dim];
        float[] max = new float[dim];
        for (int q = 0; q < dim; q++) {
            min[q] = Float.POSITIVE_INFINITY;
            max[q] = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                float v = points[rows[i]][q];
                min[q] = Math.min(min[q], v);
                max[q] = Math.max(max[q], v);
            }
            if (max[q] > min[q]) {
                varying[count++] = q;
            }
        }
        if (count == 0) {
            return Node.leaf(size);
        }
        int q = varying[random.nextInt(count)];
        double split = min[q] + random.nextDouble() * (max[q] - min[q]);
        int mid = from;
        for (int i = from; i < to; i++) {
            if (points[rows[i]][q] < split) {
                int swap = rows[i];
                rows[i] = rows[mid];
                rows[mid] = swap;
                mid++;
            }
        }
        if (mid == from || mid == to) {
            return Node.leaf(size); // a split at min exactly: rare, and nothing separates
        }
        return new Node(q, split, grow(points, rows, from, mid, depth + 1, heightLimit, random),
                grow(points, rows, mid, to, depth + 1, heightLimit, random), 0);
    }

    private record Node(int attribute, double split, Node left, Node right, int size) {

        static Node leaf(int size) {
            return new Node(-1, 0, null, null, size);
        }

        double path(float[] x, int depth) {
            if (left == null) {
                return depth + averagePath(size);
            }
            return (x[attribute] < split ? left : right).path(x, depth + 1);
        }
    }
}

package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Per-record measures of how well a language model knows whole texts, scored teacher-forced in batches: what a
 * shard's held-out accuracy and the gate read.
 *
 * @param tokenAccuracy per record, the share of its tokens the model ranks first given the ones before: a
 *        language model's accuracy, which memorised text raises far above unseen text of the same kind
 * @param meanLogProbability per record, the mean log-probability of its tokens (minus its loss)
 * @param minKProbability per record, the min-k% membership score at k = {@value #MIN_K}
 */
public record TextScores(double[] tokenAccuracy, double[] meanLogProbability, double[] minKProbability) {

    /** The share of least likely tokens min-k% averages, as its authors recommend. */
    public static final double MIN_K = 0.2;

    /** Sequences scored per forward pass. */
    private static final int BATCH = 32;

    /** Scores each sequence (BOS first, unpadded, at most context + 1 tokens; at least one target each). */
    public static TextScores of(NextTokenModel model, List<int[]> sequences) {
        int n = sequences.size();
        double[] accuracy = new double[n];
        double[] meanLogP = new double[n];
        double[] minK = new double[n];
        for (int from = 0; from < n; from += BATCH) {
            List<int[]> chunk = sequences.subList(from, Math.min(n, from + BATCH));
            try (NDManager scratch = model.manager().newSubManager()) {
                TokenBatch batch = TokenBatch.of(scratch, chunk, new int[chunk.size()]);
                NDArray logp = model.logProbabilities(batch.inputs());
                float[] picked = batch.pickTargets(logp).toFloatArray();
                long[] best = logp.argMax(-1).toType(DataType.INT64, false).toLongArray();
                long[] targets = batch.targets().toType(DataType.INT64, false).toLongArray();
                int time = (int) batch.targets().getShape().get(1);
                for (int b = 0; b < chunk.size(); b++) {
                    int tokens = chunk.get(b).length - 1;
                    if (tokens < 1) {
                        throw new IllegalArgumentException("a sequence of no target tokens has no score");
                    }
                    double[] each = new double[tokens];
                    int right = 0;
                    double sum = 0;
                    for (int t = 0; t < tokens; t++) {
                        int at = b * time + t;
                        each[t] = picked[at];
                        sum += picked[at];
                        right += best[at] == targets[at] ? 1 : 0;
                    }
                    accuracy[from + b] = (double) right / tokens;
                    meanLogP[from + b] = sum / tokens;
                    minK[from + b] = MinKProbability.score(each, MIN_K);
                }
            }
        }
        return new TextScores(accuracy, meanLogP, minK);
    }

    public int size() {
        return tokenAccuracy.length;
    }
}

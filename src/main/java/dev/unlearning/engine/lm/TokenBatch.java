package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Sequences as a right-padded batch for next-token prediction: inputs are tokens 0..n-2, targets 1..n-1, and
 * the weight of each target is 1 where it counts and 0 on padding (and, for a question-answer loss, on the
 * prompt). Right padding needs no attention mask of its own: under the causal mask a real token never sees
 * the padding after it.
 */
record TokenBatch(NDArray inputs, NDArray targets, NDArray weights) {

    /**
     * @param sequences full token sequences (BOS first), each at most context + 1 long
     * @param scoredFrom per sequence, the first target position whose loss counts (0: all of them)
     */
    static TokenBatch of(NDManager manager, List<int[]> sequences, int[] scoredFrom) {
        int time = 1;
        for (int[] s : sequences) {
            time = Math.max(time, s.length - 1);
        }
        int batch = sequences.size();
        long[] in = new long[batch * time];
        long[] out = new long[batch * time];
        float[] weight = new float[batch * time];
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            for (int t = 0; t + 1 < s.length; t++) {
                in[b * time + t] = s[t];
                out[b * time + t] = s[t + 1];
                weight[b * time + t] = t >= scoredFrom[b] ? 1f : 0f;
            }
        }
        Shape shape = new Shape(batch, time);
        return new TokenBatch(manager.create(in, shape), manager.create(out, shape), manager.create(weight, shape));
    }

    /** The next-token loss per weighted target, −Σ w·log p / Σ w: what training descends and ascent climbs. */
    NDArray meanTokenLoss(NDArray logProbabilities) {
        return pickTargets(logProbabilities).mul(weights).sum().neg().div(weights.sum());
    }

    /** Each sequence's summed log-probability of its weighted targets (batch): NPO's likelihood. */
    NDArray sequenceLogLikelihoods(NDArray logProbabilities) {
        return pickTargets(logProbabilities).mul(weights).sum(new int[] {1});
    }

    /** Log-probability of each target token (batch, time) from log-probabilities (batch, time, vocabulary). */
    NDArray pickTargets(NDArray logProbabilities) {
        return logProbabilities.gather(targets.expandDims(-1).toType(DataType.INT64, false), -1)
                .reshape(targets.getShape());
    }
}

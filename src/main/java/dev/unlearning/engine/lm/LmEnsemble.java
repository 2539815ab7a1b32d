package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A SISA ensemble of language models answering as one, by one of two aggregations of the shards' next-token
 * distributions (both mixtures, so a forgotten author's shard, once retrained, lends the author nothing):
 * <ul>
 *   <li>{@link Aggregation#MEAN}: the plain mean at every position, what SISA's mean-of-softmax is for
 *       classifiers. A fact that one shard of S knows gets at most 1/S of the probability.
 *   <li>{@link Aggregation#POSTERIOR}: the mixture of the shards as models of whole sequences, whose next-token
 *       distribution weights each shard by how likely it found the text so far ({@code w_s ∝ p_s(prefix)}, a
 *       uniform prior). A question naming an author the shard trained on is likelier under that shard, which
 *       then answers; this is Bayesian model averaging over the shards, not a heuristic router.
 * </ul>
 */
public final class LmEnsemble implements NextTokenModel, AutoCloseable {

    public enum Aggregation { MEAN, POSTERIOR }

    private final List<LanguageModel> shards;
    private final int context;
    private final Aggregation aggregation;

    /** Takes ownership of the shards, which must share one context; aggregates by {@link Aggregation#MEAN}. */
    public LmEnsemble(List<LanguageModel> shards) {
        this(shards, Aggregation.MEAN);
    }

    /** Takes ownership of the shards, which must share one context. */
    public LmEnsemble(List<LanguageModel> shards, Aggregation aggregation) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one shard");
        }
        this.context = shards.get(0).context();
        for (LanguageModel shard : shards) {
            if (shard.context() != context) {
                throw new IllegalArgumentException("shards of contexts " + context + " and " + shard.context()
                        + " cannot answer as one");
            }
        }
        this.shards = List.copyOf(shards);
        this.aggregation = aggregation;
    }

    public int size() {
        return shards.size();
    }

    /**
     * log(Σ_s w_s · p_s) with w_s = 1/S (mean) or ∝ p_s(ids up to the position) (posterior), computed as log-sum-
     * exps so that no shard's small probabilities underflow.
     */
    @Override
    public NDArray logProbabilities(NDArray ids) {
        List<NDArray> each = new ArrayList<>();
        for (LanguageModel shard : shards) {
            each.add(shard.logProbabilities(ids));
        }
        NDArray stacked = NDArrays.stack(new NDList(each));                      // (S, B, T, V)
        if (aggregation == Aggregation.MEAN) {
            return logSumExp(stacked).sub((float) Math.log(shards.size()));
        }
        NDArray weights = prefixLogLikelihoods(stacked, ids).expandDims(-1);    // (S, B, T, 1)
        return logSumExp(stacked.add(weights)).sub(logSumExp(weights));
    }

    /**
     * Each shard's log-likelihood of the tokens before each position: 0 at position 0 (BOS is given), then the
     * running sum of the log-probabilities the shard gave the tokens that actually followed.
     */
    private static NDArray prefixLogLikelihoods(NDArray stacked, NDArray ids) {
        long shards = stacked.getShape().get(0);
        long batch = ids.getShape().get(0);
        long time = ids.getShape().get(1);
        NDArray zeros = stacked.getManager().zeros(new ai.djl.ndarray.types.Shape(shards, batch, 1));
        if (time == 1) {
            return zeros;
        }
        NDArray next = ids.get(":, 1:").toType(ai.djl.ndarray.types.DataType.INT64, false)
                .expandDims(0).repeat(0, shards).expandDims(-1);                 // (S, B, T-1, 1)
        NDArray seen = stacked.get(":, :, :-1, :").gather(next, -1).squeeze(-1);  // (S, B, T-1)
        return zeros.concat(seen.cumSum(2), 2);
    }

    /** log Σ over the shard axis (0), shifted by the maximum. */
    private static NDArray logSumExp(NDArray x) {
        NDArray max = x.max(new int[] {0});
        return x.sub(max).exp().sum(new int[] {0}).log().add(max);
    }

    @Override
    public int context() {
        return context;
    }

    @Override
    public NDManager manager() {
        return shards.get(0).manager();
    }

    @Override
    public void close() {
        shards.forEach(LanguageModel::close);
    }
}

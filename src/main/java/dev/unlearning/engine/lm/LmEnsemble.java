package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A SISA ensemble of language models answering as one: at every position the next-token distribution is the
 * mean of the shards' distributions (the mixture, what SISA's mean-of-softmax aggregation is for classifiers),
 * so a fact only the shard that trained on it knows still gets that shard's share of the probability, and a
 * forgotten author's shard, once retrained, no longer lends any.
 */
public final class LmEnsemble implements NextTokenModel, AutoCloseable {

    private final List<LanguageModel> shards;
    private final int context;

    /** Takes ownership of the shards, which must share one context. */
    public LmEnsemble(List<LanguageModel> shards) {
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
    }

    public int size() {
        return shards.size();
    }

    /** log(mean over shards of p), computed as a log-sum-exp so that no shard's small probabilities underflow. */
    @Override
    public NDArray logProbabilities(NDArray ids) {
        List<NDArray> each = new ArrayList<>();
        for (LanguageModel shard : shards) {
            each.add(shard.logProbabilities(ids));
        }
        NDArray stacked = NDArrays.stack(new NDList(each));
        NDArray max = stacked.max(new int[] {0});
        return stacked.sub(max).exp().sum(new int[] {0}).log().add(max).sub((float) Math.log(shards.size()));
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

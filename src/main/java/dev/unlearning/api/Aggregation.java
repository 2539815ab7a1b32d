package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the outputs of the shard models are combined into one prediction (for a language model: into one next-token distribution). */
public enum Aggregation {
    @JsonProperty("MeanSoftmax")
    MEAN_SOFTMAX,
    @JsonProperty("MajorityVote")
    MAJORITY_VOTE,
    /**
     * transformer-lm only: each shard's next-token distribution weighted by the likelihood the shard gave the
     * text so far, the Bayesian mixture of the shards as sequence models. A shard that never saw a subject
     * finds its text unlikely and loses its say, so the shards that know a text answer for it.
     */
    @JsonProperty("Posterior")
    POSTERIOR
}

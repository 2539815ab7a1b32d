package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the outputs of the shard models are combined into one prediction. */
public enum Aggregation {
    @JsonProperty("MeanSoftmax")
    MEAN_SOFTMAX,
    @JsonProperty("MajorityVote")
    MAJORITY_VOTE
}

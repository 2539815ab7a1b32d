package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a training run is: its shards train, its publish Job makes them a version, or it failed. */
public enum TrainingPhase {
    @JsonProperty("Training")
    TRAINING,
    @JsonProperty("Publishing")
    PUBLISHING,
    @JsonProperty("Failed")
    FAILED
}

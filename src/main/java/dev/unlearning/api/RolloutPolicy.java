package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a verified version is served at once or waits for a person's approval. */
public enum RolloutPolicy {
    @JsonProperty("Automatic")
    AUTOMATIC,
    /** Waits for the annotation unlearning.dev/approve-rollout: "true" on the request. */
    @JsonProperty("Manual")
    MANUAL
}

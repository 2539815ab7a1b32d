package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an unlearning run is: its unlearning Job runs, or its finalize Job verifies and publishes. */
public enum RunPhase {
    @JsonProperty("Unlearning")
    UNLEARNING,
    @JsonProperty("Finalizing")
    FINALIZING
}

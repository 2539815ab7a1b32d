package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an unlearning run ended. */
public enum RunOutcome {
    @JsonProperty("Published")
    PUBLISHED,
    @JsonProperty("Failed")
    FAILED
}

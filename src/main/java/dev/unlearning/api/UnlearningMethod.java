package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a model forgets: exactly by retraining the affected shards, or approximately by fine-tuning them. */
public enum UnlearningMethod {
    @JsonProperty("Exact")
    EXACT,
    @JsonProperty("SCRUB")
    SCRUB,
    @JsonProperty("NegGradPlus")
    NEG_GRAD_PLUS,
    @JsonProperty("FineTune")
    FINE_TUNE,
    @JsonProperty("Auto")
    AUTO
}

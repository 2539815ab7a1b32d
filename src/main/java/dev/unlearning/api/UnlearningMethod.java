package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a model forgets: exactly by retraining the affected shards, or approximately by updating their weights
 * (SCRUB, NegGrad+, fine-tuning on the retain data, selective synaptic dampening,
 * saliency unlearning).
 */
public enum UnlearningMethod {
    @JsonProperty("Exact")
    EXACT,
    @JsonProperty("SCRUB")
    SCRUB,
    @JsonProperty("NegGradPlus")
    NEG_GRAD_PLUS,
    @JsonProperty("FineTune")
    FINE_TUNE,
    @JsonProperty("SSD")
    SSD,
    @JsonProperty("SalUn")
    SALUN,
    @JsonProperty("Auto")
    AUTO;

    /** The name a spec uses and kubectl shows, for messages a user reads. */
    public String specName() {
        try {
            return UnlearningMethod.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("every constant is a field", e);
        }
    }
}

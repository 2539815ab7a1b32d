package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a model forgets: exactly by retraining the affected shards, or approximately by updating their weights
 * (for classifiers SCRUB, NegGrad+, fine-tuning on the retain data, selective synaptic dampening, saliency
 * unlearning; for language models gradient difference and NPO).
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
    /** transformer-lm: gradient ascent on the forget texts, descent on the rest of their shard. */
    @JsonProperty("GradientDifference")
    GRADIENT_DIFFERENCE,
    /** transformer-lm: negative preference optimisation against the model before unlearning, with a retain term. */
    @JsonProperty("NPO")
    NPO,
    @JsonProperty("Auto")
    AUTO;

    /** The approximate methods written for language models; the others approximate ones are for classifiers. */
    public boolean forLanguageModels() {
        return this == GRADIENT_DIFFERENCE || this == NPO;
    }

    /** Whether a model of this family can run the method (Exact and Auto: every family). */
    public boolean fits(boolean languageModel) {
        return this == EXACT || this == AUTO || forLanguageModels() == languageModel;
    }

    /** The name a spec uses and kubectl shows, for messages a user reads. */
    public String specName() {
        try {
            return UnlearningMethod.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("every constant is a field", e);
        }
    }
}

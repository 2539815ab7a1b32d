package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Built-in network families: two image/tabular classifiers and a causal language model over text. */
public enum ArchitectureType {
    @JsonProperty("mlp")
    MLP,
    @JsonProperty("cnn")
    CNN,
    /** A decoder-only transformer over the bytes of jsonl text records. */
    @JsonProperty("transformer-lm")
    TRANSFORMER_LM;

    /** Whether this family reads text and predicts the next token, rather than classifying records. */
    public boolean languageModel() {
        return this == TRANSFORMER_LM;
    }
}

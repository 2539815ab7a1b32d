package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Built-in model families: two image/tabular networks, a nearest-neighbour classifier, and a causal language
 * model over text.
 */
public enum ArchitectureType {
    @JsonProperty("mlp")
    MLP,
    @JsonProperty("cnn")
    CNN,
    /** A decoder-only transformer over the bytes of jsonl text records. */
    @JsonProperty("transformer-lm")
    TRANSFORMER_LM,
    /**
     * k nearest neighbours over the records' own features: a shard's model is its records, so forgetting removes
     * them from the index, exactly and without any training.
     */
    @JsonProperty("knn")
    KNN;

    /** Whether this family reads text and predicts the next token, rather than classifying records. */
    public boolean languageModel() {
        return this == TRANSFORMER_LM;
    }

    /**
     * Whether the family unlearns only exactly: a nearest-neighbour index forgets a record by dropping it, which
     * costs less than any approximate method, so none applies.
     */
    public boolean exactOnly() {
        return this == KNN;
    }
}

package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Built-in network families. */
public enum ArchitectureType {
    @JsonProperty("mlp")
    MLP,
    @JsonProperty("cnn")
    CNN
}

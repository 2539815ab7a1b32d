package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encodings the engine reads. */
public enum DatasetFormat {
    @JsonProperty("idx")
    IDX,
    @JsonProperty("csv")
    CSV
}

package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encodings the engine reads. */
public enum DatasetFormat {
    @JsonProperty("idx")
    IDX,
    @JsonProperty("csv")
    CSV,
    /** One text record per line: id, subject, text, optional question and answer; for transformer-lm. */
    @JsonProperty("jsonl")
    JSONL
}

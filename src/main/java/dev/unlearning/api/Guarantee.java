package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a finished request promises: no kept artifact holds the records (Exact), or only their effect is gone. */
public enum Guarantee {
    @JsonProperty("Exact")
    EXACT,
    @JsonProperty("Approximate")
    APPROXIMATE
}

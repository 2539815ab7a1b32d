package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a detector measures records in. Only the records' own features so far: an embedding or a per-record loss
 * would make the selection depend on a model version, which every pod of a run (and the auditor) would have to
 * load identically (README, "Forgetting what is suspicious").
 */
public enum OutlierSpace {
    @JsonProperty("features")
    FEATURES
}

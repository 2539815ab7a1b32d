package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of a ShardedModel. */
public class ShardedModelStatus extends ConditionedStatus {

    @JsonPropertyDescription("Newest complete model version in the store.")
    private Integer currentVersion;

    public Integer getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(Integer currentVersion) {
        this.currentVersion = currentVersion;
    }
}

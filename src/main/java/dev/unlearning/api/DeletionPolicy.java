package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a model's store when the ShardedModel is deleted. */
public enum DeletionPolicy {
    /** The store is kept; a model created again on it inherits its tombstones. */
    @JsonProperty("Retain")
    RETAIN,
    /** A purge Job deletes every version, blob and staged file (certificates stay, as proof) before the model goes. */
    @JsonProperty("Delete")
    DELETE
}

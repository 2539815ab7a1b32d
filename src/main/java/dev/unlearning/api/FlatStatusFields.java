package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The flat fields of a ShardedModel status stored by an operator from before the status was grouped by owner.
 * They stay in the schema so that the API server keeps them for the operator to read (it prunes fields the
 * schema does not name); the operator moves them into the groups on its first reconcile of the model and never
 * writes them again ({@link ShardedModelStatus#migrateFlatFields()}).
 */
public abstract class FlatStatusFields extends ConditionedStatus {

    @JsonProperty("currentVersion")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.currentVersion; read once from a status an older operator stored, then removed.")
    Integer currentVersion;

    @JsonProperty("servingVersion")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to serving.version; read once from a status an older operator stored, then removed.")
    Integer servingVersion;

    @JsonProperty("endpoint")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to serving.endpoint; read once from a status an older operator stored, then removed.")
    String endpoint;

    @JsonProperty("lastForgettingVersion")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.lastForgettingVersion; read once from a status an older operator stored, then removed.")
    Integer lastForgettingVersion;

    @JsonProperty("tombstoneCount")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.tombstoneCount; read once from a status an older operator stored, then removed.")
    Integer tombstoneCount;

    @JsonProperty("dataDigest")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.dataDigest; read once from a status an older operator stored, then removed.")
    String dataDigest;

    @JsonProperty("placement")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.placement; read once from a status an older operator stored, then removed.")
    ShardPlacement placement;

    @JsonProperty("spreadSubjects")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.spreadSubjects; read once from a status an older operator stored, then removed.")
    Map<String, Integer> spreadSubjects;

    @JsonProperty("shards")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.shards; read once from a status an older operator stored, then removed.")
    List<ShardStatus> shards;

    @JsonProperty("versions")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to published.versions; read once from a status an older operator stored, then removed.")
    List<VersionRecord> versions;

    @JsonProperty("training")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.training.run; read once from a status an older operator stored, then removed.")
    JobRun training;

    @JsonProperty("trainingsStarted")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.training.started; read once from a status an older operator stored, then removed.")
    Integer trainingsStarted;

    @JsonProperty("trainedFingerprint")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.training.fingerprint; read once from a status an older operator stored, then removed.")
    String trainedFingerprint;

    @JsonProperty("activeBatch")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.unlearning.activeRun; read once from a status an older operator stored, then removed.")
    BatchRun activeBatch;

    @JsonProperty("batchesStarted")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.unlearning.started; read once from a status an older operator stored, then removed.")
    Integer batchesStarted;

    @JsonProperty("runs")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.unlearning.runs; read once from a status an older operator stored, then removed.")
    List<RunRecord> runs;

    @JsonProperty("exactPending")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.unlearning.exactPending; read once from a status an older operator stored, then removed.")
    List<ExactFollowUp> exactPending;

    @JsonProperty("lastFailure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.unlearning.lastFailure; read once from a status an older operator stored, then removed.")
    String lastFailure;

    @JsonProperty("erasure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.erasure.run; read once from a status an older operator stored, then removed.")
    ErasureRun erasure;

    @JsonProperty("erasuresStarted")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.erasure.started; read once from a status an older operator stored, then removed.")
    Integer erasuresStarted;

    @JsonProperty("lastErasure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.erasure.last; read once from a status an older operator stored, then removed.")
    ErasureRecord lastErasure;

    @JsonProperty("erasureFailure")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.erasure.failure; read once from a status an older operator stored, then removed.")
    String erasureFailure;

    @JsonProperty("erasureFailedAt")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("Moved to lanes.erasure.failedAt; read once from a status an older operator stored, then removed.")
    String erasureFailedAt;

    /** True while a field of the old shape is present. */
    public boolean hasFlatFields() {
        return currentVersion != null
                || servingVersion != null
                || endpoint != null
                || lastForgettingVersion != null
                || tombstoneCount != null
                || dataDigest != null
                || placement != null
                || spreadSubjects != null
                || shards != null
                || versions != null
                || training != null
                || trainingsStarted != null
                || trainedFingerprint != null
                || activeBatch != null
                || batchesStarted != null
                || runs != null
                || exactPending != null
                || lastFailure != null
                || erasure != null
                || erasuresStarted != null
                || lastErasure != null
                || erasureFailure != null
                || erasureFailedAt != null;
    }

    /** Forgets the old shape once it has been moved. */
    protected void clearFlatFields() {
        currentVersion = null;
        servingVersion = null;
        endpoint = null;
        lastForgettingVersion = null;
        tombstoneCount = null;
        dataDigest = null;
        placement = null;
        spreadSubjects = null;
        shards = null;
        versions = null;
        training = null;
        trainingsStarted = null;
        trainedFingerprint = null;
        activeBatch = null;
        batchesStarted = null;
        runs = null;
        exactPending = null;
        lastFailure = null;
        erasure = null;
        erasuresStarted = null;
        lastErasure = null;
        erasureFailure = null;
        erasureFailedAt = null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlatStatusFields o && super.equals(other)
                && Objects.equals(currentVersion, o.currentVersion)
                && Objects.equals(servingVersion, o.servingVersion)
                && Objects.equals(endpoint, o.endpoint)
                && Objects.equals(lastForgettingVersion, o.lastForgettingVersion)
                && Objects.equals(tombstoneCount, o.tombstoneCount)
                && Objects.equals(dataDigest, o.dataDigest)
                && Objects.equals(placement, o.placement)
                && Objects.equals(spreadSubjects, o.spreadSubjects)
                && Objects.equals(shards, o.shards)
                && Objects.equals(versions, o.versions)
                && Objects.equals(training, o.training)
                && Objects.equals(trainingsStarted, o.trainingsStarted)
                && Objects.equals(trainedFingerprint, o.trainedFingerprint)
                && Objects.equals(activeBatch, o.activeBatch)
                && Objects.equals(batchesStarted, o.batchesStarted)
                && Objects.equals(runs, o.runs)
                && Objects.equals(exactPending, o.exactPending)
                && Objects.equals(lastFailure, o.lastFailure)
                && Objects.equals(erasure, o.erasure)
                && Objects.equals(erasuresStarted, o.erasuresStarted)
                && Objects.equals(lastErasure, o.lastErasure)
                && Objects.equals(erasureFailure, o.erasureFailure)
                && Objects.equals(erasureFailedAt, o.erasureFailedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), currentVersion, servingVersion, endpoint, lastForgettingVersion, tombstoneCount, dataDigest, placement, spreadSubjects,
                shards, versions, training, trainingsStarted, trainedFingerprint, activeBatch, batchesStarted, runs,
                exactPending, lastFailure, erasure, erasuresStarted, lastErasure, erasureFailure, erasureFailedAt);
    }
}

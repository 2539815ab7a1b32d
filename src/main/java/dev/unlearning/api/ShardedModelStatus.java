package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Observed state of a ShardedModel. */
public class ShardedModelStatus extends ConditionedStatus {

    @JsonPropertyDescription("Newest complete model version in the store.")
    private Integer currentVersion;

    @JsonPropertyDescription("What the model's Jobs are doing, from their own status: \"training 3/16 shards\", "
            + "\"unlearning 1/4 shards\", \"verifying\", \"publishing\" or \"erasing\"; absent when idle.")
    private String progress;

    @JsonPropertyDescription("Version the serving Deployment has fully rolled out.")
    private Integer servingVersion;

    @JsonPropertyDescription("In-cluster URL of the inference service.")
    private String endpoint;

    @JsonPropertyDescription("The newest version that forgot records; every older version lacks some of its tombstones, so pinning one is refused.")
    private Integer lastForgettingVersion;

    @JsonPropertyDescription("Records this model has forgotten so far.")
    private Integer tombstoneCount;

    @JsonPropertyDescription("Digest of the training data of the newest version (record ids of IDX data are row positions in it).")
    private String dataDigest;

    @JsonPropertyDescription("What placed the newest training's records in shards: BySubject or ByRecord.")
    private ShardPlacement placement;

    @JsonPropertyDescription("Subjects the newest training spread over several shards (too large for one), by the "
            + "first 16 hex characters of their keyed digest, with how many consecutive shards from the home shard "
            + "each spans. Absent while unknown: subject requests are then planned onto every shard.")
    private Map<String, Integer> spreadSubjects;

    public ShardPlacement getPlacement() {
        return placement;
    }

    public void setPlacement(ShardPlacement placement) {
        this.placement = placement;
    }

    public Map<String, Integer> getSpreadSubjects() {
        return spreadSubjects;
    }

    public void setSpreadSubjects(Map<String, Integer> spreadSubjects) {
        this.spreadSubjects = spreadSubjects;
    }

    public String getDataDigest() {
        return dataDigest;
    }

    public void setDataDigest(String dataDigest) {
        this.dataDigest = dataDigest;
    }

    private List<ShardStatus> shards = new ArrayList<>();

    @JsonPropertyDescription("The most recent versions, newest last.")
    private List<VersionRecord> versions = new ArrayList<>();

    @JsonPropertyDescription("The training run in progress, if any.")
    private JobRun training;

    @JsonPropertyDescription("The unlearning run in progress, if any; at most one per model.")
    private BatchRun activeBatch;

    @JsonPropertyDescription("Finished unlearning runs whose requests have not all ended; each request copies its outcome from here.")
    private List<RunRecord> runs = new ArrayList<>();

    @JsonPropertyDescription("Dry runs of forget.outliers requests that have not ended: their detection Jobs and reports.")
    private List<DetectionRecord> detections = new ArrayList<>();

    @JsonPropertyDescription("The erasure in progress, if any; it runs only while no other Job of the model runs.")
    private ErasureRun erasure;

    @JsonPropertyDescription("What the last finished erasure deleted.")
    private ErasureRecord lastErasure;

    @JsonPropertyDescription("When the last erasure failed; the next try waits a minute.")
    private String erasureFailedAt;

    @JsonPropertyDescription("Erasures started so far; names the next one.")
    private int erasuresStarted;

    @JsonPropertyDescription("Why the last erasure failed, until one succeeds.")
    private String erasureFailure;

    @JsonPropertyDescription("Approximately forgotten requests that still owe an exact retrain, with the time it is due.")
    private List<ExactFollowUp> exactPending = new ArrayList<>();

    @JsonPropertyDescription("Training runs started so far; names the next one, so run ids are never reused.")
    private int trainingsStarted;

    @JsonPropertyDescription("Unlearning runs started so far; names the next run.")
    private int batchesStarted;

    @JsonPropertyDescription("Fingerprint of the spec parts the current version was trained from.")
    private String trainedFingerprint;

    @JsonPropertyDescription("Why the last unlearning run failed, until a version published since supersedes "
            + "it (a failed training says why in training.failure).")
    private String lastFailure;

    public String getTrainedFingerprint() {
        return trainedFingerprint;
    }

    public void setTrainedFingerprint(String trainedFingerprint) {
        this.trainedFingerprint = trainedFingerprint;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public void setLastFailure(String lastFailure) {
        this.lastFailure = lastFailure;
    }

    public Integer getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(Integer currentVersion) {
        this.currentVersion = currentVersion;
    }

    public Integer getServingVersion() {
        return servingVersion;
    }

    public void setServingVersion(Integer servingVersion) {
        this.servingVersion = servingVersion;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public Integer getTombstoneCount() {
        return tombstoneCount;
    }

    public void setTombstoneCount(Integer tombstoneCount) {
        this.tombstoneCount = tombstoneCount;
    }

    public List<ShardStatus> getShards() {
        return shards;
    }

    public void setShards(List<ShardStatus> shards) {
        this.shards = shards;
    }

    public List<VersionRecord> getVersions() {
        return versions;
    }

    public void setVersions(List<VersionRecord> versions) {
        this.versions = versions;
    }

    public JobRun getTraining() {
        return training;
    }

    public void setTraining(JobRun training) {
        this.training = training;
    }

    public BatchRun getActiveBatch() {
        return activeBatch;
    }

    public void setActiveBatch(BatchRun activeBatch) {
        this.activeBatch = activeBatch;
    }

    public int getBatchesStarted() {
        return batchesStarted;
    }

    public void setBatchesStarted(int batchesStarted) {
        this.batchesStarted = batchesStarted;
    }

    public List<DetectionRecord> getDetections() {
        return detections;
    }

    public void setDetections(List<DetectionRecord> detections) {
        this.detections = detections;
    }

    public List<RunRecord> getRuns() {
        return runs;
    }

    public void setRuns(List<RunRecord> runs) {
        this.runs = runs;
    }

    public int getTrainingsStarted() {
        return trainingsStarted;
    }

    public void setTrainingsStarted(int trainingsStarted) {
        this.trainingsStarted = trainingsStarted;
    }

    public ErasureRun getErasure() {
        return erasure;
    }

    public void setErasure(ErasureRun erasure) {
        this.erasure = erasure;
    }

    public ErasureRecord getLastErasure() {
        return lastErasure;
    }

    public void setLastErasure(ErasureRecord lastErasure) {
        this.lastErasure = lastErasure;
    }

    public int getErasuresStarted() {
        return erasuresStarted;
    }

    public void setErasuresStarted(int erasuresStarted) {
        this.erasuresStarted = erasuresStarted;
    }

    public String getErasureFailure() {
        return erasureFailure;
    }

    public void setErasureFailure(String erasureFailure) {
        this.erasureFailure = erasureFailure;
    }

    public String getErasureFailedAt() {
        return erasureFailedAt;
    }

    public void setErasureFailedAt(String erasureFailedAt) {
        this.erasureFailedAt = erasureFailedAt;
    }

    public List<ExactFollowUp> getExactPending() {
        return exactPending;
    }

    public void setExactPending(List<ExactFollowUp> exactPending) {
        this.exactPending = exactPending;
    }

    public Integer getLastForgettingVersion() {
        return lastForgettingVersion;
    }

    public void setLastForgettingVersion(Integer lastForgettingVersion) {
        this.lastForgettingVersion = lastForgettingVersion;
    }

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }
}

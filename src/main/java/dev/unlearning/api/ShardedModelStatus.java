package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Observed state of a ShardedModel, grouped by owner: what is published, each lane of exclusive work, the dry
 * runs, and serving. docs/design.md names the one class that writes each field.
 */
public class ShardedModelStatus extends FlatStatusFields {

    @JsonPropertyDescription("What the model's Jobs are doing, from their own status: \"training 3/16 shards\", "
            + "\"unlearning 1/4 shards\", \"verifying\", \"publishing\" or \"erasing\"; absent when idle.")
    private String progress;

    @JsonPropertyDescription("The versions in the store, the current version's shards and the forgetting they carry.")
    private PublishedVersions published = new PublishedVersions();

    @JsonPropertyDescription("The model's exclusive work: training, unlearning and erasure, one Job at a time.")
    private ModelLanes lanes = new ModelLanes();

    @JsonPropertyDescription("Dry runs of forget.outliers requests that have not ended: their detection Jobs and reports.")
    private List<DetectionRecord> detections = new ArrayList<>();

    @JsonPropertyDescription("What the serving Deployment runs.")
    private ServingStatus serving = new ServingStatus();

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }

    public PublishedVersions getPublished() {
        return published;
    }

    public void setPublished(PublishedVersions published) {
        this.published = published;
    }

    public ModelLanes getLanes() {
        return lanes;
    }

    public void setLanes(ModelLanes lanes) {
        this.lanes = lanes;
    }

    public List<DetectionRecord> getDetections() {
        return detections;
    }

    public void setDetections(List<DetectionRecord> detections) {
        this.detections = detections;
    }

    public ServingStatus getServing() {
        return serving;
    }

    public void setServing(ServingStatus serving) {
        this.serving = serving;
    }

    /** Shorthands for the three lanes of {@link #getLanes()}. */
    public TrainingLane trainingLane() {
        return lanes.getTraining();
    }

    public UnlearningLane unlearningLane() {
        return lanes.getUnlearning();
    }

    public ErasureLane erasureLane() {
        return lanes.getErasure();
    }

    /**
     * Moves the fields of a status stored in the flat shape (before the grouping) into their groups, where the
     * group does not already hold them, and drops the flat ones; true if there were any. The groups are the
     * only shape the operator reads.
     */
    public boolean migrateFlatFields() {
        if (!hasFlatFields()) {
            return false;
        }
        TrainingLane training = lanes.getTraining();
        UnlearningLane unlearning = lanes.getUnlearning();
        ErasureLane erasure = lanes.getErasure();
        if (published.getCurrentVersion() == null) {
            published.setCurrentVersion(currentVersion);
            published.setLastForgettingVersion(lastForgettingVersion);
            published.setTombstoneCount(tombstoneCount);
            published.setDataDigest(dataDigest);
            published.setPlacement(placement);
            published.setSpreadSubjects(spreadSubjects);
            published.setShards(orEmpty(shards));
            published.setVersions(orEmpty(versions));
        }
        if (serving.getVersion() == null) {
            serving.setVersion(servingVersion);
            serving.setEndpoint(endpoint);
        }
        if (training.getRun() == null && training.getStarted() == 0) {
            training.setRun(flatTrainingWithItsFailure());
            training.setStarted(orZero(trainingsStarted));
            training.setFingerprint(trainedFingerprint);
        }
        if (unlearning.getActiveRun() == null && unlearning.getStarted() == 0) {
            unlearning.setActiveRun(activeBatch);
            unlearning.setStarted(orZero(batchesStarted));
            unlearning.setRuns(orEmpty(runs));
            unlearning.setExactPending(orEmpty(exactPending));
            unlearning.setLastFailure(unlearningFailure());
        }
        if (erasure.getRun() == null && erasure.getStarted() == 0) {
            erasure.setRun(this.erasure);
            erasure.setStarted(orZero(erasuresStarted));
            erasure.setLast(lastErasure);
            erasure.setFailure(erasureFailure);
            erasure.setFailedAt(erasureFailedAt);
        }
        clearFlatFields();
        return true;
    }

    /** An older operator kept a failed training's reason in lastFailure; the grouped shape keeps it on the run. */
    private JobRun flatTrainingWithItsFailure() {
        if (training != null && training.getPhase() == TrainingPhase.FAILED && training.getFailure() == null) {
            training.setFailure(lastFailure);
        }
        return training;
    }

    private String unlearningFailure() {
        boolean trainingFailure = training != null && training.getPhase() == TrainingPhase.FAILED
                && Objects.equals(training.getFailure(), lastFailure);
        return trainingFailure ? null : lastFailure;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? new ArrayList<>() : list;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardedModelStatus o && super.equals(other) && Objects.equals(progress, o.progress)
                && Objects.equals(published, o.published) && Objects.equals(lanes, o.lanes)
                && Objects.equals(detections, o.detections) && Objects.equals(serving, o.serving);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), progress, published, lanes, detections, serving);
    }
}

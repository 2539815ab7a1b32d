package dev.unlearning.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ShardedModel status stored in the flat shape of older operators, read and moved into its groups. */
class FlatStatusMigrationTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    static final String FLAT = """
            {"observedGeneration": 2, "progress": "unlearning 1/2 shards",
             "conditions": [{"type": "Ready", "status": "True", "reason": "Serving", "message": "serving version 3"}],
             "currentVersion": 3, "servingVersion": 2, "endpoint": "http://m-serving.ml.svc:8080",
             "lastForgettingVersion": 3, "tombstoneCount": 2, "dataDigest": "abc", "placement": "BySubject",
             "spreadSubjects": {"0123456789abcdef": 2},
             "shards": [{"shard": 0, "records": 10, "trainedInVersion": 3, "exact": true}],
             "versions": [{"version": 2, "digest": "d2"}, {"version": 3, "digest": "d3", "cause": "unlearn:EXACT"}],
             "training": null, "trainingsStarted": 1, "trainedFingerprint": "fp",
             "activeBatch": {"id": "u3", "phase": "Unlearning", "baseVersion": 3, "shards": [0],
                             "requests": [{"name": "r", "uid": "1"}]},
             "batchesStarted": 3,
             "runs": [{"id": "u2", "outcome": "Published", "version": 3}],
             "exactPending": [{"requests": [{"name": "q", "uid": "2"}], "shards": [1], "approximateVersion": 3,
                               "due": "2026-12-08T00:00:00Z"}],
             "lastFailure": "u1: the gate failed",
             "erasure": null, "erasuresStarted": 2, "lastErasure": {"servedVersion": 2, "erasedVersions": [1]},
             "erasureFailure": "store unreachable", "erasureFailedAt": "2026-12-07T10:00:00Z",
             "detections": [{"request": {"name": "o", "uid": "3"}, "jobName": "m-detect-o"}]}
            """;

    @Test
    void everyFlatFieldLandsInItsGroupAndTheFlatShapeIsNotWrittenBack() {
        ShardedModelStatus status = JSON.unmarshal(FLAT, ShardedModelStatus.class);
        assertThat(status.hasFlatFields()).isTrue();

        assertThat(status.migrateFlatFields()).isTrue();

        PublishedVersions published = status.getPublished();
        assertThat(published.getCurrentVersion()).isEqualTo(3);
        assertThat(published.getLastForgettingVersion()).isEqualTo(3);
        assertThat(published.getTombstoneCount()).isEqualTo(2);
        assertThat(published.getDataDigest()).isEqualTo("abc");
        assertThat(published.getPlacement()).isEqualTo(ShardPlacement.BY_SUBJECT);
        assertThat(published.getSpreadSubjects()).isEqualTo(Map.of("0123456789abcdef", 2));
        assertThat(published.getShards()).extracting(ShardStatus::getTrainedInVersion).containsExactly(3);
        assertThat(published.getVersions()).extracting(VersionRecord::getVersion).containsExactly(2, 3);
        assertThat(status.getServing().getVersion()).isEqualTo(2);
        assertThat(status.getServing().getEndpoint()).isEqualTo("http://m-serving.ml.svc:8080");
        TrainingLane training = status.getLanes().getTraining();
        assertThat(training.getRun()).isNull();
        assertThat(training.getStarted()).isEqualTo(1);
        assertThat(training.getFingerprint()).isEqualTo("fp");
        UnlearningLane unlearning = status.getLanes().getUnlearning();
        assertThat(unlearning.getActiveRun().getId()).isEqualTo("u3");
        assertThat(unlearning.getStarted()).isEqualTo(3);
        assertThat(unlearning.getRuns()).extracting(RunRecord::getId).containsExactly("u2");
        assertThat(unlearning.getExactPending()).extracting(ExactFollowUp::getDue).containsExactly("2026-12-08T00:00:00Z");
        assertThat(unlearning.getLastFailure()).isEqualTo("u1: the gate failed");
        ErasureLane erasure = status.getLanes().getErasure();
        assertThat(erasure.getStarted()).isEqualTo(2);
        assertThat(erasure.getLast().getErasedVersions()).containsExactly(1);
        assertThat(erasure.getFailure()).isEqualTo("store unreachable");
        assertThat(erasure.getFailedAt()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(status.getDetections()).hasSize(1);
        assertThat(status.getProgress()).isEqualTo("unlearning 1/2 shards");
        assertThat(status.getObservedGeneration()).isEqualTo(2L);

        @SuppressWarnings("unchecked")
        Map<String, Object> written = JSON.unmarshal(JSON.asJson(status), Map.class);
        assertThat(written).containsOnlyKeys("observedGeneration", "conditions", "progress", "published", "lanes",
                "detections", "serving");
        assertThat(status.hasFlatFields()).isFalse();
        assertThat(status.migrateFlatFields()).as("moved once").isFalse();
        assertThat(JSON.unmarshal(JSON.asJson(status), ShardedModelStatus.class)).as("a value, read back equal")
                .isEqualTo(status);
    }

    @Test
    void aFailedTrainingsReasonMovesOntoItsRunAndIsNotTakenForAnUnlearningFailure() {
        ShardedModelStatus status = JSON.unmarshal("""
                {"currentVersion": 1, "trainingsStarted": 2,
                 "training": {"run": "t2", "phase": "Failed", "jobName": "m-train-t2"},
                 "lastFailure": "training shard 3 failed: out of memory"}
                """, ShardedModelStatus.class);

        status.migrateFlatFields();

        JobRun run = status.getLanes().getTraining().getRun();
        assertThat(run.getPhase()).isEqualTo(TrainingPhase.FAILED);
        assertThat(run.getFailure()).isEqualTo("training shard 3 failed: out of memory");
        assertThat(status.getLanes().getUnlearning().getLastFailure()).isNull();
        assertThat(status.getLanes().getTraining().getStarted()).isEqualTo(2);
    }

    @Test
    void aGroupedStatusIsLeftAsItIs() {
        ShardedModelStatus status = new ShardedModelStatus();
        status.getPublished().setCurrentVersion(4);
        ShardedModelStatus read = JSON.unmarshal(JSON.asJson(status), ShardedModelStatus.class);

        assertThat(read.migrateFlatFields()).isFalse();
        assertThat(read).isEqualTo(status);
    }
}

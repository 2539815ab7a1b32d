package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.VersionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErasurePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void erasureWaitsForServingToSettleAndForTheModelToBeIdle() {
        assertThat(due(status(3, 3, 2, null), 1, 3)).contains(NOW);
        assertThat(due(status(3, 2, 2, null), 1, 3)).as("rollout of 3 in progress").isEmpty();
        assertThat(due(status(3, 2, 2, null), 1, 2)).as("3 held back by a Manual approval: 2 is settled")
                .contains(NOW);
        assertThat(due(status(3, null, 2, null), 0, 3)).as("no serving: the current version counts").contains(NOW);

        ShardedModelStatus running = status(3, 3, 2, null);
        running.setActiveBatch(new BatchRun());
        assertThat(due(running, 1, 3)).isEmpty();
        ShardedModelStatus training = status(3, 3, 2, null);
        training.setTraining(new JobRun());
        training.getTraining().setPhase(TrainingPhase.TRAINING);
        assertThat(due(training, 1, 3)).isEmpty();
        training.getTraining().setPhase(TrainingPhase.FAILED);
        assertThat(due(training, 1, 3)).as("a failed training runs no Job").contains(NOW);
        ShardedModelStatus erasing = status(3, 3, 2, null);
        erasing.setErasure(new ErasureRun());
        assertThat(due(erasing, 1, 3)).isEmpty();
    }

    @Test
    void erasureRunsOncePerServedVersionAndOnlyWhenThereIsSomethingToErase() {
        assertThat(due(status(3, 3, 2, 3), 1, 3)).as("already erased around 3").isEmpty();
        assertThat(due(status(4, 4, 2, 3), 1, 4)).contains(NOW);
        assertThat(due(status(2, 2, 0, null), 1, 2)).as("nothing forgotten, few versions").isEmpty();
        ShardedModelStatus many = status(5, 5, 0, null);
        for (int v = 1; v <= 5; v++) {
            VersionRecord record = new VersionRecord();
            record.setVersion(v);
            many.getVersions().add(record);
        }
        assertThat(due(many, 1, 5)).as("more versions than retention keeps").contains(NOW);
    }

    @Test
    void aFailedErasureIsRetriedAfterADelay() {
        Instant failed = NOW.minusSeconds(10);
        Duration retry = Duration.ofSeconds(60);
        assertThat(ErasurePolicy.due(status(3, 3, 2, null), 1, 3, 3, failed, retry, NOW)).contains(failed.plus(retry));
        assertThat(ErasurePolicy.due(status(3, 3, 2, null), 1, 3, 3, NOW.minusSeconds(600), retry, NOW)).contains(NOW);
    }

    static Optional<Instant> due(ShardedModelStatus status, int replicas, int servingTarget) {
        return ErasurePolicy.due(status, replicas, servingTarget, 3, null, Duration.ofSeconds(60), NOW);
    }

    static ShardedModelStatus status(int current, Integer serving, int tombstones, Integer erasedAround) {
        ShardedModelStatus status = new ShardedModelStatus();
        status.setCurrentVersion(current);
        status.setServingVersion(serving);
        status.setTombstoneCount(tombstones);
        if (erasedAround != null) {
            ErasureRecord record = new ErasureRecord();
            record.setServedVersion(erasedAround);
            status.setLastErasure(record);
        }
        return status;
    }
}

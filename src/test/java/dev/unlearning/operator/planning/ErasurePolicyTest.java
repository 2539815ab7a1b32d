package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.VersionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErasurePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void erasureWaitsForServingToSettle() {
        assertThat(due(status(3, 3, 2, null), 1, 3)).contains(NOW);
        assertThat(due(status(3, 2, 2, null), 1, 3)).as("rollout of 3 in progress").isEmpty();
        assertThat(due(status(3, 2, 2, null), 1, 2)).as("3 held back by a Manual approval: 2 is settled")
                .contains(NOW);
        assertThat(due(status(3, null, 2, null), 0, 3)).as("no serving: the current version counts").contains(NOW);
    }

    @Test
    void aRequestWaitsForAnErasureOnlyWhenOneIsOwed() {
        // Two versions, no record ever forgotten (the request named ids the data did not hold): no erasure is due,
        // so none is pending either.
        ShardedModelStatus nothing = status(2, 2, 0, null);
        addVersions(nothing, 2);
        assertThat(due(nothing, 1, 2)).isEmpty();
        assertThat(ErasurePolicy.covers(nothing, 2, 3)).isEqualTo(ErasurePolicy.Coverage.NOTHING_TO_ERASE);

        ShardedModelStatus forgot = status(2, 2, 1, null);
        assertThat(due(forgot, 1, 2)).contains(NOW);
        assertThat(ErasurePolicy.covers(forgot, 2, 3)).isEqualTo(ErasurePolicy.Coverage.PENDING);
        assertThat(ErasurePolicy.covers(status(3, 3, 1, 3), 3, 3)).isEqualTo(ErasurePolicy.Coverage.ERASED);
        assertThat(ErasurePolicy.covers(status(3, 3, 1, 2), 3, 3)).as("erased around an older version only")
                .isEqualTo(ErasurePolicy.Coverage.PENDING);

        ShardedModelStatus pastRetention = status(4, 4, 0, null);
        addVersions(pastRetention, 4);
        assertThat(due(pastRetention, 1, 4)).contains(NOW);
        assertThat(ErasurePolicy.covers(pastRetention, 4, 3)).isEqualTo(ErasurePolicy.Coverage.PENDING);

        ShardedModelStatus failed = status(2, 2, 0, null);
        failed.erasureLane().setFailure("erasure Job failed");
        assertThat(ErasurePolicy.covers(failed, 2, 3)).as("a failure is never read as nothing to erase")
                .isEqualTo(ErasurePolicy.Coverage.PENDING);
    }

    @Test
    void erasureRunsOncePerServedVersionAndOnlyWhenThereIsSomethingToErase() {
        assertThat(due(status(3, 3, 2, 3), 1, 3)).as("already erased around 3").isEmpty();
        assertThat(due(status(4, 4, 2, 3), 1, 4)).contains(NOW);
        assertThat(due(status(2, 2, 0, null), 1, 2)).as("nothing forgotten, few versions").isEmpty();
        ShardedModelStatus many = status(5, 5, 0, null);
        addVersions(many, 5);
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

    static void addVersions(ShardedModelStatus status, int count) {
        for (int v = 1; v <= count; v++) {
            VersionRecord record = new VersionRecord();
            record.setVersion(v);
            status.getPublished().getVersions().add(record);
        }
    }

    static ShardedModelStatus status(int current, Integer serving, int tombstones, Integer erasedAround) {
        ShardedModelStatus status = new ShardedModelStatus();
        status.getPublished().setCurrentVersion(current);
        status.getServing().setVersion(serving);
        status.getPublished().setTombstoneCount(tombstones);
        if (erasedAround != null) {
            ErasureRecord record = new ErasureRecord();
            record.setServedVersion(erasedAround);
            status.erasureLane().setLast(record);
        }
        return status;
    }
}

package dev.unlearning.operator.planning;

import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a model's store is erased: once serving has settled on the version it should run (approvals
 * considered) and that version is newer than the last erased-around one, while no
 * other Job of the model runs (erasure sweeps blobs no kept version references, so it must never race a run
 * that is writing fresh ones), and only when there is something to erase: forgotten records, or more versions
 * than retention keeps. After a failed erasure it waits before trying again.
 */
public final class ErasurePolicy {

    private ErasurePolicy() {
    }

    /** The version serving runs, as far as erasure is concerned: the current one when nothing serves. */
    public static Optional<Integer> served(ShardedModelStatus status, int replicas) {
        return Optional.ofNullable(replicas == 0 ? status.getCurrentVersion() : status.getServingVersion());
    }

    /** Empty when no erasure is due; else when it is due (now, or after the retry delay). */
    public static Optional<Instant> due(ShardedModelStatus status, int replicas, int servingTarget, int retention,
            Instant lastFailureAt, Duration retryAfter, Instant now) {
        boolean busy = status.getActiveBatch() != null || status.getErasure() != null
                || (status.getTraining() != null && status.getTraining().getPhase() != TrainingPhase.FAILED);
        Optional<Integer> served = served(status, replicas);
        if (busy || served.isEmpty() || (replicas > 0 && served.get() != servingTarget)) {
            return Optional.empty();
        }
        boolean newerServed = status.getLastErasure() == null
                || status.getLastErasure().getServedVersion() < served.get();
        boolean somethingToErase = (status.getTombstoneCount() != null && status.getTombstoneCount() > 0)
                || status.getVersions().size() > retention;
        if (!newerServed || !somethingToErase) {
            return Optional.empty();
        }
        Instant retry = lastFailureAt == null ? now : lastFailureAt.plus(retryAfter);
        return Optional.of(retry.isAfter(now) ? retry : now);
    }
}

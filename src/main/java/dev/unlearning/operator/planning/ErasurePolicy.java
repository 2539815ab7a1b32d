package dev.unlearning.operator.planning;

import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ShardedModelStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a model's store is erased: once serving has settled on the version it should run (approvals
 * considered) and that version is newer than the last erased-around one, and only when there is something to
 * erase: forgotten records, or more versions than retention keeps. After a failed erasure it waits before
 * trying again. Whether another Job of the model runs is {@link ExclusiveWork}'s question, not this one's.
 *
 * <p>The same rule tells a request whether it waits for an erasure at all ({@link #covers}): one that no
 * erasure will ever be due for must not wait for one.
 */
public final class ErasurePolicy {

    private ErasurePolicy() {
    }

    /** What a request's {@code Erased} condition says about the version that carries it. */
    public enum Coverage {
        /** The last erasure ran around this version or a later one. */
        ERASED,
        /** An erasure is owed around this version (or one is running, or failed and is retried). */
        PENDING,
        /**
         * No version ever forgot a record and none is past retention: no kept version holds the request's records,
         * so no erasure is owed.
         */
        NOTHING_TO_ERASE
    }

    /** The version serving runs, as far as erasure is concerned: the current one when nothing serves. */
    public static Optional<Integer> served(ShardedModelStatus status, int replicas) {
        return Optional.ofNullable(replicas == 0 ? status.getPublished().getCurrentVersion() : status.getServing().getVersion());
    }

    /** Whether the store holds anything an erasure removes. */
    public static boolean somethingToErase(ShardedModelStatus status, int retention) {
        return (status.getPublished().getTombstoneCount() != null && status.getPublished().getTombstoneCount() > 0)
                || status.getPublished().getVersions().size() > retention;
    }

    /** Empty when no erasure is due; else when it is due (now, or after the retry delay). */
    public static Optional<Instant> due(ShardedModelStatus status, int replicas, int servingTarget, int retention,
            Instant lastFailureAt, Duration retryAfter, Instant now) {
        Optional<Integer> served = served(status, replicas);
        if (served.isEmpty() || (replicas > 0 && served.get() != servingTarget)) {
            return Optional.empty();
        }
        boolean newerServed = status.erasureLane().getLast() == null
                || status.erasureLane().getLast().getServedVersion() < served.get();
        if (!newerServed || !somethingToErase(status, retention)) {
            return Optional.empty();
        }
        Instant retry = lastFailureAt == null ? now : lastFailureAt.plus(retryAfter);
        return Optional.of(retry.isAfter(now) ? retry : now);
    }

    /** Where erasure stands for the records a served {@code version} forgot. */
    public static Coverage covers(ShardedModelStatus status, int version, int retention) {
        ErasureRecord last = status.erasureLane().getLast();
        if (last != null && last.getServedVersion() >= version) {
            return Coverage.ERASED;
        }
        boolean underWay = status.erasureLane().getRun() != null || status.erasureLane().getFailure() != null;
        return underWay || somethingToErase(status, retention) ? Coverage.PENDING : Coverage.NOTHING_TO_ERASE;
    }
}

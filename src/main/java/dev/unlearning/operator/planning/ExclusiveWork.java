package dev.unlearning.operator.planning;

import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;

/**
 * The one rule for a model's exclusive work: training, an unlearning run and an erasure each write the store
 * around the model's versions, so at most one of them runs at a time. Given what the status records, this says
 * which of them holds the model now, or may start; every step asks it and no step decides on its own.
 * Detection (dry runs) only reads data, so it runs beside any of them and is not a lane here.
 *
 * <p>Order of precedence: work already in flight keeps the model until its Job ends; then a changed spec
 * retrains (the versions no longer match what the spec describes); then erasure that is due (before the next
 * unlearning run, so a steady stream of requests cannot starve it); then unlearning. A model whose training
 * failed for the spec it has runs nothing until the spec changes: an unlearning Job would read a spec that no
 * longer describes the stored shards.
 */
public final class ExclusiveWork {

    /** Who holds the model's exclusive slot. */
    public enum Lane {
        /** Nothing may run: no version yet and no training to start, or the spec's training failed. */
        IDLE,
        TRAINING,
        UNLEARNING,
        ERASURE
    }

    /** Where the model's training stands with respect to its current spec. */
    public enum TrainingState {
        /** The spec is what the current versions were trained from; no training Job. */
        SETTLED,
        /** The spec changed (or the model was never trained): a training run should start. */
        WANTED,
        /** A training or publish Job runs. */
        RUNNING,
        /** Training for the current spec failed; nothing retries it until the spec changes again. */
        FAILED,
        /**
         * A failed run is recorded for a spec since reverted to the one the versions were trained from: the
         * training step clears the record and starts nothing.
         */
        STALE_FAILURE
    }

    /**
     * What the decision reads.
     *
     * @param training       the training state for the current spec
     * @param unlearningRun  an unlearning run (its unlearn or finalize Job) is in flight
     * @param erasureRun     an erase Job is in flight
     * @param hasVersion     a version was published
     * @param erasureDueNow  {@link ErasurePolicy} says an erasure should start now
     */
    public record Facts(TrainingState training, boolean unlearningRun, boolean erasureRun, boolean hasVersion,
            boolean erasureDueNow) {

        /** The facts of a status, for a spec whose training fingerprint is {@code fingerprint}. */
        public static Facts of(ShardedModelStatus status, String fingerprint, boolean erasureDueNow) {
            return new Facts(ExclusiveWork.training(status, fingerprint), status.unlearningLane().getActiveRun() != null,
                    status.erasureLane().getRun() != null, status.getPublished().getCurrentVersion() != null, erasureDueNow);
        }
    }

    private ExclusiveWork() {
    }

    /** Which lane holds the model, or may start now. */
    public static Lane now(Facts facts) {
        if (facts.training() == TrainingState.RUNNING) {
            return Lane.TRAINING;
        }
        if (facts.erasureRun()) {
            return Lane.ERASURE;
        }
        if (facts.unlearningRun()) {
            return Lane.UNLEARNING;
        }
        if (facts.training() == TrainingState.WANTED || facts.training() == TrainingState.STALE_FAILURE) {
            return Lane.TRAINING;
        }
        if (facts.training() == TrainingState.FAILED || !facts.hasVersion()) {
            return Lane.IDLE;
        }
        return facts.erasureDueNow() ? Lane.ERASURE : Lane.UNLEARNING;
    }

    /**
     * The training state: a failed run stops training only while the spec is still the one it failed for; a spec
     * back at what the versions were trained from needs no training, failed run or not.
     */
    public static TrainingState training(ShardedModelStatus status, String fingerprint) {
        JobRun run = status.trainingLane().getRun();
        if (run != null && run.getPhase() != TrainingPhase.FAILED) {
            return TrainingState.RUNNING;
        }
        if (fingerprint.equals(status.trainingLane().getFingerprint())) {
            return run == null ? TrainingState.SETTLED : TrainingState.STALE_FAILURE;
        }
        return run != null && run.getRun().startsWith(fingerprint) ? TrainingState.FAILED : TrainingState.WANTED;
    }
}

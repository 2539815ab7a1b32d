package dev.unlearning.operator.status;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.operator.conventions.ModelConditions;
import java.time.Clock;
import java.util.Optional;

/** Derives a ShardedModel's conditions from its status after the steps ran; a pure function of both. */
public final class ModelStatusAggregator {

    private final Conditions conditions;

    public ModelStatusAggregator(Clock clock) {
        this.conditions = new Conditions(clock);
    }

    /**
     * @param stall        why a rollout cannot progress, if it cannot
     * @param servingTarget the version serving should run (null before the first version)
     */
    public void aggregate(ShardedModel model, ShardedModelStatus status, boolean trainingRunning,
            Optional<String> servingProblem, Optional<String> stall, Integer servingTarget) {
        long generation = model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
        var list = status.getConditions();
        if (trainingRunning) {
            conditions.set(list, ModelConditions.TRAINING, Conditions.TRUE,
                    status.trainingLane().getRun().getPhase() == TrainingPhase.PUBLISHING ? "Publishing" : "Training",
                    "Job " + status.trainingLane().getRun().getJobName(), generation);
        } else {
            conditions.set(list, ModelConditions.TRAINING, Conditions.FALSE,
                    trainingFailure(status).isPresent() ? "TrainingFailed" : "Idle",
                    trainingFailure(status).orElse("no training in progress"), generation);
        }
        BatchRun run = status.unlearningLane().getActiveRun();
        conditions.set(list, ModelConditions.UNLEARNING, run != null ? Conditions.TRUE : Conditions.FALSE,
                run != null ? "RunInProgress" : "Idle", run != null ? "run " + run.getId() + " ("
                        + run.getMethod() + ", " + run.getRequests().size() + " request(s)) is " + run.getPhase()
                        : "no unlearning in progress", generation);
        String runFailure = trainingFailure(status).orElse(status.unlearningLane().getLastFailure());
        String degraded = servingProblem.orElse(runFailure != null ? runFailure : status.erasureLane().getFailure());
        conditions.set(list, ModelConditions.DEGRADED, degraded != null ? Conditions.TRUE : Conditions.FALSE,
                servingProblem.isPresent() ? "RollbackRefused" : runFailure != null ? "RunFailed"
                        : degraded != null ? "ErasureFailed" : "Healthy",
                degraded != null ? degraded : "no failures", generation);
        var erasure = status.erasureLane().getRun();
        conditions.set(list, ModelConditions.ERASING, erasure != null ? Conditions.TRUE : Conditions.FALSE,
                erasure != null ? "ErasureInProgress" : "Idle", erasure != null ? "erasure " + erasure.getId()
                        + " around served version " + erasure.getServedVersion() + " in Job " + erasure.getJobName()
                        : "no erasure in progress", generation);
        boolean noServing = model.getSpec().getServing().getReplicas() == 0;
        if (status.getPublished().getCurrentVersion() == null) {
            conditions.set(list, ModelConditions.READY, Conditions.FALSE, "AwaitingTraining",
                    "no version has been trained yet", generation);
        } else if (noServing || status.getServing().getVersion() != null) {
            conditions.set(list, ModelConditions.READY, Conditions.TRUE, noServing ? "Published" : "Serving",
                    noServing ? "version " + status.getPublished().getCurrentVersion() + " is published (serving disabled)"
                            : "serving version " + status.getServing().getVersion(), generation);
        } else {
            conditions.set(list, ModelConditions.READY, Conditions.FALSE, stall.isPresent() ? ModelConditions.ROLLOUT_STALLED : "RollingOut",
                    stall.orElse("waiting for the serving Deployment to run version " + status.getPublished().getCurrentVersion()),
                    generation);
        }
        if (!noServing && servingTarget != null && servingTarget > 0) {
            boolean serving = servingTarget.equals(status.getServing().getVersion());
            conditions.set(list, ModelConditions.SERVING, serving ? Conditions.TRUE : Conditions.FALSE,
                    serving ? "Serving" : stall.isPresent() ? ModelConditions.ROLLOUT_STALLED : "RollingOut",
                    serving ? "serving runs version " + servingTarget
                            : stall.orElse("rolling out version " + servingTarget), generation);
        }
        status.setObservedGeneration(generation);
    }

    /**
     * Why the training for the current spec failed, if it did (a status stored flat had it in lastFailure; its
     * migration moved it onto the run).
     */
    private static Optional<String> trainingFailure(ShardedModelStatus status) {
        JobRun run = status.trainingLane().getRun();
        return run == null || run.getPhase() != TrainingPhase.FAILED ? Optional.empty()
                : Optional.ofNullable(run.getFailure());
    }

    /**
     * Whether the model's current Job waits in a Kueue queue ({@code Queued}, reason {@code WaitingForQuota}, with
     * Kueue's own reason), so a queued run is told apart from a stuck one.
     */
    public void queued(ShardedModel model, ShardedModelStatus status, Optional<String> waiting) {
        long generation = model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
        conditions.set(status.getConditions(), ModelConditions.QUEUED, waiting.isPresent() ? Conditions.TRUE
                : Conditions.FALSE, waiting.isPresent() ? "WaitingForQuota" : "NotWaiting",
                waiting.orElse("no Job of this model waits for admission"), generation);
    }

    /** A model whose runtime this installation refuses: nothing runs for it until the spec changes. */
    public void refused(ShardedModel model, ShardedModelStatus status, String reason, String message) {
        long generation = model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
        conditions.set(status.getConditions(), ModelConditions.DEGRADED, Conditions.TRUE, reason, message, generation);
        conditions.set(status.getConditions(), ModelConditions.READY, Conditions.FALSE, reason, message, generation);
        status.setObservedGeneration(generation);
    }

    /** The condition the operator records when a reconcile failed on an API error; the next pass replaces it. */
    public void reconcileError(ShardedModel model, ShardedModelStatus status, Exception error) {
        long generation = model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
        conditions.set(status.getConditions(), ModelConditions.DEGRADED, Conditions.TRUE, "ReconcileError",
                ErrorMessages.of(error), generation);
    }
}

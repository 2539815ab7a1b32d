package dev.unlearning.operator.planning;

import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.operator.conventions.EventReason;

/** The state machine of a training run (train the shards, then publish them as a version); a pure function. */
public final class TrainingRun {

    /** The next step of a training run. */
    public sealed interface Transition permits Wait, StartPublish, Published, Fail {
    }

    /** The Job is still running. */
    public record Wait() implements Transition {
    }

    /** Every shard is trained: publish them as a version. */
    public record StartPublish() implements Transition {
    }

    /** The publish Job made this version. */
    public record Published(TrainingResult result) implements Transition {
    }

    /** The run failed; the message names the Job and why. */
    public record Fail(EventReason reason, String message) implements Transition {
    }

    private TrainingRun() {
    }

    public static Transition next(TrainingPhase phase, String jobName, JobOutcome<TrainingResult> job) {
        return switch (job.phase()) {
            case RUNNING -> new Wait();
            case MISSING -> new Fail(EventReason.TrainingFailed, "Job " + jobName + " failed: it no longer exists");
            case FAILED -> new Fail(EventReason.TrainingFailed, "Job " + jobName + " failed: " + job.failure());
            case SUCCEEDED -> {
                if (phase == TrainingPhase.TRAINING) {
                    yield new StartPublish();
                }
                if (job.result() == null || job.result().version() == null) {
                    // A Job that succeeded without saying which version it published: never guess.
                    yield new Fail(EventReason.ResultMissing, "Job " + jobName + " succeeded but reported no version ("
                            + (job.resultProblem() != null ? job.resultProblem() : "its result names none") + ")");
                }
                yield new Published(job.result());
            }
        };
    }
}

package dev.unlearning.operator.planning;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.WorkerResult;

/**
 * How a Job stands, as the operator observed it: running, gone, or ended with its worker's exit code and
 * result. {@code result} is null when the worker left none or it could not be decoded; {@code resultProblem}
 * then says why.
 *
 * @param failure the Job's own failure condition (reason: message), when it failed
 */
public record JobOutcome<T extends WorkerResult>(JobPhase phase, ExitCode exitCode, T result, String resultProblem,
        String failure) {

    /** Where a Job is. */
    public enum JobPhase {
        MISSING, RUNNING, SUCCEEDED, FAILED
    }

    public static <T extends WorkerResult> JobOutcome<T> running() {
        return new JobOutcome<>(JobPhase.RUNNING, null, null, null, null);
    }

    public static <T extends WorkerResult> JobOutcome<T> missing() {
        return new JobOutcome<>(JobPhase.MISSING, null, null, null, null);
    }

    public boolean finished() {
        return phase == JobPhase.SUCCEEDED || phase == JobPhase.FAILED;
    }
}

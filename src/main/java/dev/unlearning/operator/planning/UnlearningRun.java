package dev.unlearning.operator.planning;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.engine.verification.Gate;
import dev.unlearning.operator.conventions.EventReason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The state machine of one unlearning run: given its phase and how its current Job stands, what happens next.
 * A pure function, so every phase × Job outcome is tested in a table without an API server.
 */
public final class UnlearningRun {

    /** The next step of a run. */
    public sealed interface Transition permits Wait, StartFinalize, Publish, FallBackToExact, Fail {
    }

    /** The Job is still running. */
    public record Wait() implements Transition {
    }

    /** Every shard is unlearned: verify and publish. */
    public record StartFinalize() implements Transition {
    }

    /** The candidate passed the gate and was published. */
    public record Publish(FinalizeResult result) implements Transition {
    }

    /** Auto's approximate attempt missed the gate: unlearn the same shards exactly. */
    public record FallBackToExact(String failures) implements Transition {
    }

    /** The run ends without a version; the previous one keeps serving. */
    public record Fail(EventReason reason, String message) implements Transition {
    }

    private UnlearningRun() {
    }

    /**
     * @param gate the thresholds the finalize Job was given (read back from its arguments); a published result
     *     whose own measurements miss them is rejected, so a worker that skipped or misapplied the gate is never
     *     served or certified on its word
     */
    public static Transition next(BatchRun run, JobOutcome<FinalizeResult> job, VerificationSpec gate) {
        String name = run.getJobName();
        boolean unlearning = run.getPhase() == RunPhase.UNLEARNING;
        return switch (job.phase()) {
            case RUNNING -> new Wait();
            case MISSING -> new Fail(EventReason.JobMissing, "Job " + name + " disappeared");
            case SUCCEEDED -> {
                if (unlearning) {
                    yield new StartFinalize();
                }
                FinalizeResult result = job.result();
                if (result == null || !result.published() || result.version() == null) {
                    yield new Fail(EventReason.ResultMissing, "Job " + name + " succeeded but reported no version ("
                            + (job.resultProblem() != null ? job.resultProblem() : "its result says nothing was published")
                            + ")");
                }
                List<GateFailure> missed = Gate.failures(gate, orNone(result.metricsBefore()),
                        orNone(result.metricsAfter()), run.getMethod() == UnlearningMethod.EXACT);
                if (!missed.isEmpty()) {
                    yield new Fail(EventReason.ResultRejected, "Job " + name + " reported version " + result.version()
                            + " as verified, but the measurements it reported miss the run's gate "
                            + missed.stream().map(GateFailure::describe).collect(Collectors.joining("; ", "[", "]"))
                            + "; the operator neither serves nor certifies it");
                }
                yield new Publish(result);
            }
            case FAILED -> {
                if (unlearning) {
                    yield new Fail(EventReason.UnlearningJobFailed, "Job " + name + " failed: " + job.failure());
                }
                if (job.exitCode() != ExitCode.GATE_FAILED) {
                    yield new Fail(EventReason.FinalizeJobFailed, "Job " + name + " failed: " + job.failure());
                }
                String failures = failures(job);
                yield run.getFallbackToExact() ? new FallBackToExact(failures)
                        : new Fail(EventReason.VerificationFailed, "the unlearned version missed " + failures
                                + "; nothing was published and the previous version keeps serving");
            }
        };
    }

    private static Measurements orNone(Measurements measurements) {
        return measurements == null ? Measurements.none() : measurements;
    }

    private static String failures(JobOutcome<FinalizeResult> job) {
        if (job.result() == null || job.result().gateFailures() == null || job.result().gateFailures().isEmpty()) {
            return "its thresholds (the worker's result does not list them"
                    + (job.resultProblem() != null ? ": " + job.resultProblem() : "") + ")";
        }
        return job.result().gateFailures().stream().map(GateFailure::describe)
                .collect(Collectors.joining("; ", "[", "]"));
    }
}

package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.worker.Threshold;
import dev.unlearning.operator.EventReason;
import dev.unlearning.operator.planning.JobOutcome.JobPhase;
import dev.unlearning.operator.planning.UnlearningRun.Fail;
import dev.unlearning.operator.planning.UnlearningRun.FallBackToExact;
import dev.unlearning.operator.planning.UnlearningRun.Publish;
import dev.unlearning.operator.planning.UnlearningRun.StartFinalize;
import dev.unlearning.operator.planning.UnlearningRun.Transition;
import dev.unlearning.operator.planning.UnlearningRun.Wait;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every phase of a run × every way its Job can stand, with and without Auto's fallback. */
class UnlearningRunTest {

    static final FinalizeResult PUBLISHED = new FinalizeResult("u1-exact", true, 2, 1, "d1", "d2",
            UnlearningMethod.EXACT, List.of(0), 2, 0, List.of(), Measurements.none(), Measurements.none(), "loc",
            "digest", Map.of(), "tombstones");
    static final FinalizeResult NOT_PUBLISHED = new FinalizeResult("u1-exact", false, null, 1, "d1", "d2",
            UnlearningMethod.EXACT, List.of(0), 2, 0, List.of(), Measurements.none(), Measurements.none(), null,
            null, Map.of(), null);
    static final FinalizeResult GATE_MISSED = new FinalizeResult("u1-scrub", false, null, 1, "d1", "d2",
            UnlearningMethod.SCRUB, List.of(0), 2, 0,
            List.of(new GateFailure(Threshold.MAX_FORGET_ACCURACY, 0.6, 0.02),
                    new GateFailure(Threshold.MAX_BACKDOOR_ASR, null, 0.05)),
            Measurements.none(), Measurements.none(), null, null, Map.of(), null);

    static Stream<Arguments> table() {
        return Stream.of(
                row(RunPhase.UNLEARNING, false, JobOutcome.running(), Wait.class, null),
                row(RunPhase.UNLEARNING, false, JobOutcome.missing(), Fail.class, EventReason.JobMissing),
                row(RunPhase.UNLEARNING, false, ended(JobPhase.SUCCEEDED, ExitCode.OK, null), StartFinalize.class, null),
                row(RunPhase.UNLEARNING, true, ended(JobPhase.SUCCEEDED, ExitCode.OK, null), StartFinalize.class, null),
                row(RunPhase.UNLEARNING, false, ended(JobPhase.FAILED, ExitCode.DATA_ERROR, null), Fail.class,
                        EventReason.UnlearningJobFailed),
                // A fallback is for a missed gate only, never for a broken unlearning Job.
                row(RunPhase.UNLEARNING, true, ended(JobPhase.FAILED, ExitCode.UNEXPECTED, null), Fail.class,
                        EventReason.UnlearningJobFailed),
                row(RunPhase.FINALIZING, false, JobOutcome.running(), Wait.class, null),
                row(RunPhase.FINALIZING, false, JobOutcome.missing(), Fail.class, EventReason.JobMissing),
                row(RunPhase.FINALIZING, false, ended(JobPhase.SUCCEEDED, ExitCode.OK, PUBLISHED), Publish.class, null),
                row(RunPhase.FINALIZING, true, ended(JobPhase.SUCCEEDED, ExitCode.OK, PUBLISHED), Publish.class, null),
                row(RunPhase.FINALIZING, false, ended(JobPhase.SUCCEEDED, ExitCode.OK, null), Fail.class,
                        EventReason.ResultMissing),
                row(RunPhase.FINALIZING, false, ended(JobPhase.SUCCEEDED, ExitCode.OK, NOT_PUBLISHED), Fail.class,
                        EventReason.ResultMissing),
                row(RunPhase.FINALIZING, false, ended(JobPhase.FAILED, ExitCode.GATE_FAILED, GATE_MISSED), Fail.class,
                        EventReason.VerificationFailed),
                row(RunPhase.FINALIZING, true, ended(JobPhase.FAILED, ExitCode.GATE_FAILED, GATE_MISSED),
                        FallBackToExact.class, null),
                row(RunPhase.FINALIZING, true, ended(JobPhase.FAILED, ExitCode.GATE_FAILED, null),
                        FallBackToExact.class, null),
                row(RunPhase.FINALIZING, true, ended(JobPhase.FAILED, ExitCode.STORE_ERROR, null), Fail.class,
                        EventReason.FinalizeJobFailed),
                row(RunPhase.FINALIZING, false, ended(JobPhase.FAILED, null, null), Fail.class,
                        EventReason.FinalizeJobFailed));
    }

    @ParameterizedTest(name = "{0} fallback={1} {2} -> {3}")
    @MethodSource("table")
    void transition(RunPhase phase, boolean fallback, JobOutcome<FinalizeResult> job,
            Class<? extends Transition> expected, EventReason reason) {
        BatchRun run = new BatchRun();
        run.setId("u1");
        run.setPhase(phase);
        run.setFallbackToExact(fallback);
        run.setJobName("m-job");
        Transition next = UnlearningRun.next(run, job);
        assertThat(next).isInstanceOf(expected);
        if (next instanceof Fail fail) {
            assertThat(fail.reason()).isEqualTo(reason);
            assertThat(fail.message()).isNotBlank();
        }
    }

    @Test
    void aMissedGateNamesEveryThresholdIncludingOnesThatCouldNotBeMeasured() {
        BatchRun run = new BatchRun();
        run.setPhase(RunPhase.FINALIZING);
        run.setJobName("m-finalize");
        Fail fail = (Fail) UnlearningRun.next(run, ended(JobPhase.FAILED, ExitCode.GATE_FAILED, GATE_MISSED));
        assertThat(fail.message()).contains("forgetAccuracy 0.6000 > 0.0200").contains("backdoorAsr was not measured")
                .contains("nothing was published");
        Publish publish = (Publish) UnlearningRun.next(run, ended(JobPhase.SUCCEEDED, ExitCode.OK, PUBLISHED));
        assertThat(publish.result().version()).isEqualTo(2);
    }

    static JobOutcome<FinalizeResult> ended(JobPhase phase, ExitCode exit, FinalizeResult result) {
        return new JobOutcome<>(phase, exit, result, result == null ? "the worker left no termination message" : null,
                phase == JobPhase.FAILED ? "BackoffLimitExceeded: Job has reached the specified backoff limit" : null);
    }

    static Arguments row(RunPhase phase, boolean fallback, JobOutcome<FinalizeResult> job,
            Class<? extends Transition> expected, EventReason reason) {
        return Arguments.of(phase, fallback, job, expected, reason);
    }
}

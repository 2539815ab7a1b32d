package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.api.Threshold;
import dev.unlearning.operator.conventions.EventReason;
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
        Transition next = UnlearningRun.next(run, job, new VerificationSpec());
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
        Fail fail = (Fail) UnlearningRun.next(run, ended(JobPhase.FAILED, ExitCode.GATE_FAILED, GATE_MISSED),
                new VerificationSpec());
        assertThat(fail.message()).contains("forgetAccuracy 0.6000 > 0.0200").contains("backdoorAsr was not measured")
                .contains("nothing was published");
        Publish publish = (Publish) UnlearningRun.next(run, ended(JobPhase.SUCCEEDED, ExitCode.OK, PUBLISHED),
                new VerificationSpec());
        assertThat(publish.result().version()).isEqualTo(2);
    }

    @Test
    void aPublishedResultWhoseOwnMeasurementsMissTheGateIsRejected() {
        VerificationSpec gate = new VerificationSpec();
        gate.setMaxTestAccuracyDrop(0.02);
        gate.setMaxForgetAccuracyGap(0.02);
        BatchRun exact = finalizing(UnlearningMethod.EXACT);

        Transition unmeasured = UnlearningRun.next(exact, ended(JobPhase.SUCCEEDED, ExitCode.OK, PUBLISHED), gate);
        Transition dropped = UnlearningRun.next(exact, ended(JobPhase.SUCCEEDED, ExitCode.OK,
                published(UnlearningMethod.EXACT, Measurements.none(), measured(0.05, 0.0))), gate);
        Transition met = UnlearningRun.next(exact, ended(JobPhase.SUCCEEDED, ExitCode.OK,
                published(UnlearningMethod.EXACT, Measurements.none(), measured(0.01, 0.0))), gate);

        assertThat(unmeasured).as("a gate the worker did not measure is not met").isInstanceOf(Fail.class);
        assertThat(((Fail) unmeasured).reason()).isEqualTo(EventReason.ResultRejected);
        assertThat(((Fail) unmeasured).message()).contains("testAccuracyDrop was not measured")
                .contains("neither serves nor certifies");
        assertThat(dropped).isInstanceOf(Fail.class);
        assertThat(((Fail) dropped).message()).contains("testAccuracyDrop 0.0500 > 0.0200");
        assertThat(met).isInstanceOf(Publish.class);
    }

    @Test
    void anApproximateResultNeedsTheSameEvidenceFromItsOwnMeasurementsAsTheGateDemands() {
        VerificationSpec gate = new VerificationSpec();
        gate.setMaxTestAccuracyDrop(0.02);
        gate.setMaxForgetAccuracyGap(0.02);
        BatchRun scrub = finalizing(UnlearningMethod.SCRUB);
        // The base version already passed the forgetting check: nothing shows the method forgot anything.
        Measurements base = measured(null, 0.0);
        Measurements forgotten = measured(0.01, 0.0);
        Measurements knownBefore = measured(null, 0.3);

        Transition noEvidence = UnlearningRun.next(scrub, ended(JobPhase.SUCCEEDED, ExitCode.OK,
                published(UnlearningMethod.SCRUB, base, forgotten)), gate);
        Transition evidenced = UnlearningRun.next(scrub, ended(JobPhase.SUCCEEDED, ExitCode.OK,
                published(UnlearningMethod.SCRUB, knownBefore, forgotten)), gate);

        assertThat(noEvidence).isInstanceOf(Fail.class);
        assertThat(((Fail) noEvidence).reason()).isEqualTo(EventReason.ResultRejected);
        assertThat(evidenced).isInstanceOf(Publish.class);
    }

    private static BatchRun finalizing(UnlearningMethod method) {
        BatchRun run = new BatchRun();
        run.setPhase(RunPhase.FINALIZING);
        run.setJobName("m-finalize");
        run.setMethod(method);
        return run;
    }

    /** Measurements with a test drop and a forget gap with its chance allowance (null: left out). */
    private static Measurements measured(Double drop, Double gap) {
        Measurements m = Measurements.none();
        if (drop != null) {
            m = m.with(Metric.TEST_ACCURACY_DROP, drop);
        }
        return gap == null ? m : m.with(Metric.FORGET_ACCURACY_GAP, gap).with(Metric.FORGET_ACCURACY_GAP_NOISE, 0.01);
    }

    private static FinalizeResult published(UnlearningMethod method, Measurements before, Measurements after) {
        return new FinalizeResult("u1-x", true, 2, 1, "d1", "d2", method, List.of(0), 2, 0, List.of(), before, after,
                "loc", "digest", Map.of(), "tombstones");
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

package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.planning.JobOutcome.JobPhase;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both phases of a training run × every way its Job can stand. */
class TrainingRunTest {

    static final TrainingResult V1 = new TrainingResult("m", 1, "r", List.of(), 1.0, "d", "data", null, null);
    static final TrainingResult NO_VERSION = new TrainingResult("m", null, "r", List.of(), 1.0, null, null, null, null);

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(TrainingPhase.TRAINING, JobOutcome.running(), TrainingRun.Wait.class, null),
                Arguments.of(TrainingPhase.TRAINING, JobOutcome.missing(), TrainingRun.Fail.class,
                        EventReason.TrainingFailed),
                Arguments.of(TrainingPhase.TRAINING, ended(JobPhase.SUCCEEDED, null), TrainingRun.StartPublish.class,
                        null),
                Arguments.of(TrainingPhase.TRAINING, ended(JobPhase.FAILED, null), TrainingRun.Fail.class,
                        EventReason.TrainingFailed),
                Arguments.of(TrainingPhase.PUBLISHING, JobOutcome.running(), TrainingRun.Wait.class, null),
                Arguments.of(TrainingPhase.PUBLISHING, JobOutcome.missing(), TrainingRun.Fail.class,
                        EventReason.TrainingFailed),
                Arguments.of(TrainingPhase.PUBLISHING, ended(JobPhase.SUCCEEDED, V1), TrainingRun.Published.class,
                        null),
                Arguments.of(TrainingPhase.PUBLISHING, ended(JobPhase.SUCCEEDED, null), TrainingRun.Fail.class,
                        EventReason.ResultMissing),
                Arguments.of(TrainingPhase.PUBLISHING, ended(JobPhase.SUCCEEDED, NO_VERSION), TrainingRun.Fail.class,
                        EventReason.ResultMissing),
                Arguments.of(TrainingPhase.PUBLISHING, ended(JobPhase.FAILED, null), TrainingRun.Fail.class,
                        EventReason.TrainingFailed));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("table")
    void transition(TrainingPhase phase, JobOutcome<TrainingResult> job, Class<?> expected, EventReason reason) {
        TrainingRun.Transition next = TrainingRun.next(phase, "m-train-abc-1", job);
        assertThat(next).isInstanceOf(expected);
        if (next instanceof TrainingRun.Fail fail) {
            assertThat(fail.reason()).isEqualTo(reason);
            assertThat(fail.message()).contains("m-train-abc-1");
        }
    }

    static JobOutcome<TrainingResult> ended(JobPhase phase, TrainingResult result) {
        return new JobOutcome<>(phase, phase == JobPhase.SUCCEEDED ? ExitCode.OK : ExitCode.DATA_ERROR, result,
                result == null ? "the worker left no termination message" : null,
                phase == JobPhase.FAILED ? "PodFailurePolicy: exit code 3" : null);
    }
}

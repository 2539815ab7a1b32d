package dev.unlearning.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.worker.ErasureResult;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.GateDefaults.RunKind;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.JobOutcome.JobPhase;
import dev.unlearning.operator.planning.UnlearningRun;
import dev.unlearning.api.worker.TerminationMessage;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.api.worker.UnlearnShardResult;
import dev.unlearning.api.worker.WorkerResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The termination messages KWOK writes for simulated workers (the scale benchmark) must be what the roles
 * write: the operator decodes them strictly, so a stale field here would fail every simulated run.
 */
class SimulatedWorkersTest {

    private static final Pattern RESULT = Pattern.compile("\\$result :?= (?:printf )?\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void everySimulatedResultDecodesAsItsRolesRecord() throws Exception {
        String stages = Files.readString(ProjectPaths.root().resolve("test-cluster").resolve("kwok-simulated-workers.yaml"));
        List<String> messages = new ArrayList<>();
        Matcher m = RESULT.matcher(stages);
        while (m.find()) {
            messages.add(m.group(1).replace("\\\"", "\"").replace("%d", "2"));
        }
        assertThat(messages).hasSize(5);
        assertThat(stages).as("every worker role is completed by the stage")
                .contains("values: ['train', 'publish', 'unlearn', 'finalize', 'erase']");
        List<Class<? extends WorkerResult>> roles = List.of(TrainingResult.class, TrainingResult.class,
                UnlearnShardResult.class, ErasureResult.class, FinalizeResult.class);
        for (int i = 0; i < messages.size(); i++) {
            assertThat(TerminationMessage.decode(messages.get(i), roles.get(i)).result()).isNotNull();
        }
        TrainingResult published = TerminationMessage.decode(messages.get(1), TrainingResult.class).result();
        assertThat(published.version()).isEqualTo(1);
        FinalizeResult finalized = TerminationMessage.decode(messages.get(4), FinalizeResult.class).result();
        assertThat(finalized.published()).isTrue();
        assertThat(finalized.version()).isEqualTo(2);
        // The operator re-applies the run's gate to what finalize reports: the simulated numbers must meet the
        // default gate of every run kind the scale benchmark files, exact and approximate alike.
        for (RunKind kind : List.of(RunKind.RECORDS, new RunKind(false, true))) {
            for (UnlearningMethod method : List.of(UnlearningMethod.EXACT, UnlearningMethod.SCRUB)) {
                BatchRun run = new BatchRun();
                run.setPhase(RunPhase.FINALIZING);
                run.setJobName("simulated");
                run.setMethod(method);
                assertThat(UnlearningRun.next(run, new JobOutcome<>(JobPhase.SUCCEEDED, ExitCode.OK, finalized, null,
                        null), Gates.merge(new VerificationSpec(), List.of(), kind))).as("%s %s", kind, method)
                        .isInstanceOf(UnlearningRun.Publish.class);
            }
        }
    }
}

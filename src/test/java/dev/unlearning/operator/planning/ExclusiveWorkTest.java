package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.operator.planning.ExclusiveWork.Facts;
import dev.unlearning.operator.planning.ExclusiveWork.Lane;
import dev.unlearning.operator.planning.ExclusiveWork.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExclusiveWorkTest {

    /**
     * The rule as a table, read top to bottom; the first row that matches decides. Columns: training state(s),
     * unlearning run in flight, erase Job in flight, a version exists, erasure due now; '*' matches anything.
     */
    static final String TABLE = """
            RUNNING               *     *     *     *     TRAINING
            *                     *     true  *     *     ERASURE
            *                     true  false *     *     UNLEARNING
            WANTED|STALE_FAILURE  false false *     *     TRAINING
            FAILED                false false *     *     IDLE
            SETTLED               false false false *     IDLE
            SETTLED               false false true  true  ERASURE
            SETTLED               false false true  false UNLEARNING
            """;

    record Row(Set<TrainingState> training, Boolean unlearning, Boolean erasure, Boolean hasVersion, Boolean due,
            Lane lane) {

        static Row parse(String line) {
            String[] c = line.trim().split("\\s+");
            Set<TrainingState> states = c[0].equals("*") ? Set.of(TrainingState.values())
                    : Arrays.stream(c[0].split("\\|")).map(TrainingState::valueOf).collect(Collectors.toSet());
            return new Row(states, bool(c[1]), bool(c[2]), bool(c[3]), bool(c[4]), Lane.valueOf(c[5]));
        }

        private static Boolean bool(String cell) {
            return cell.equals("*") ? null : Boolean.valueOf(cell);
        }

        boolean matches(Facts f) {
            return training.contains(f.training()) && is(unlearning, f.unlearningRun()) && is(erasure, f.erasureRun())
                    && is(hasVersion, f.hasVersion()) && is(due, f.erasureDueNow());
        }

        private static boolean is(Boolean want, boolean actual) {
            return want == null || want == actual;
        }
    }

    static List<Facts> everyCombination() {
        List<Facts> all = new ArrayList<>();
        for (TrainingState training : TrainingState.values()) {
            for (int bits = 0; bits < 16; bits++) {
                all.add(new Facts(training, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0));
            }
        }
        return all;
    }

    @Test
    void everyCombinationIsDecidedByTheTable() {
        List<Row> rows = TABLE.lines().filter(l -> !l.isBlank()).map(Row::parse).toList();
        List<Facts> all = everyCombination();
        assertThat(all).hasSize(TrainingState.values().length * 16);
        for (Facts facts : all) {
            Row row = rows.stream().filter(r -> r.matches(facts)).findFirst().orElseThrow(
                    () -> new AssertionError("no row of the table matches " + facts));
            assertThat(ExclusiveWork.now(facts)).as(facts.toString()).isEqualTo(row.lane());
        }
    }

    @Test
    void aJobInFlightIsNeverJoinedByAnotherLane() {
        for (Facts facts : everyCombination()) {
            Lane lane = ExclusiveWork.now(facts);
            if (facts.training() == TrainingState.RUNNING) {
                assertThat(lane).as(facts.toString()).isEqualTo(Lane.TRAINING);
            } else if (facts.erasureRun()) {
                assertThat(lane).as(facts.toString()).isEqualTo(Lane.ERASURE);
            } else if (facts.unlearningRun()) {
                assertThat(lane).as(facts.toString()).isEqualTo(Lane.UNLEARNING);
            }
        }
    }

    @Test
    void dueErasureGoesBeforeTheNextUnlearningRunButNeverBeforeAChangedSpec() {
        assertThat(ExclusiveWork.now(new Facts(TrainingState.SETTLED, false, false, true, true))).isEqualTo(Lane.ERASURE);
        assertThat(ExclusiveWork.now(new Facts(TrainingState.WANTED, false, false, true, true))).isEqualTo(Lane.TRAINING);
    }

    @Test
    void trainingStateFollowsTheRecordedRunAndTheSpecFingerprint() {
        ShardedModelStatus status = new ShardedModelStatus();
        assertThat(ExclusiveWork.training(status, "abc")).as("never trained").isEqualTo(TrainingState.WANTED);
        status.trainingLane().setFingerprint("abc");
        assertThat(ExclusiveWork.training(status, "abc")).isEqualTo(TrainingState.SETTLED);
        assertThat(ExclusiveWork.training(status, "def")).as("spec changed").isEqualTo(TrainingState.WANTED);

        status.trainingLane().setRun(run("def-2", TrainingPhase.TRAINING));
        assertThat(ExclusiveWork.training(status, "def")).isEqualTo(TrainingState.RUNNING);
        status.trainingLane().getRun().setPhase(TrainingPhase.PUBLISHING);
        assertThat(ExclusiveWork.training(status, "def")).isEqualTo(TrainingState.RUNNING);
        status.trainingLane().getRun().setPhase(TrainingPhase.FAILED);
        assertThat(ExclusiveWork.training(status, "def")).as("failed for this spec").isEqualTo(TrainingState.FAILED);
        assertThat(ExclusiveWork.training(status, "ghi")).as("changed again: retrain").isEqualTo(TrainingState.WANTED);
        assertThat(ExclusiveWork.training(status, "abc")).as("reverted to the trained spec")
                .isEqualTo(TrainingState.STALE_FAILURE);
    }

    @Test
    void factsAreReadFromStatus() {
        ShardedModelStatus status = new ShardedModelStatus();
        status.trainingLane().setFingerprint("abc");
        status.getPublished().setCurrentVersion(2);
        assertThat(Facts.of(status, "abc", false)).isEqualTo(new Facts(TrainingState.SETTLED, false, false, true, false));
        status.unlearningLane().setActiveRun(new BatchRun());
        status.erasureLane().setRun(new ErasureRun());
        assertThat(Facts.of(status, "abc", true)).isEqualTo(new Facts(TrainingState.SETTLED, true, true, true, true));
    }

    static JobRun run(String id, TrainingPhase phase) {
        JobRun run = new JobRun();
        run.setRun(id);
        run.setPhase(phase);
        return run;
    }
}

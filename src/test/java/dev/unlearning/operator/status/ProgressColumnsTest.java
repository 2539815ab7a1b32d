package dev.unlearning.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ErasureRun;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.RequestConditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code kubectl get} shows comes from the Jobs' own status and the conditions, nothing guessed. */
class ProgressColumnsTest {

    final Conditions conditions = new Conditions(java.time.Clock.systemUTC());

    @Test
    void modelProgressCountsTheJobsSucceededIndexes() {
        Map<String, Job> jobs = Map.of("fm-train-1", job(16, 3), "fm-unlearn-u1", job(4, 4));
        ShardedModelStatus status = new ShardedModelStatus();
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).as("idle").isNull();

        JobRun training = new JobRun();
        training.setJobName("fm-train-1");
        training.setPhase(TrainingPhase.TRAINING);
        status.trainingLane().setRun(training);
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).isEqualTo("training 3/16 shards");
        training.setJobName("not-created-yet");
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).as("no Job, no count").isEqualTo("training");
        training.setPhase(TrainingPhase.PUBLISHING);
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).isEqualTo("publishing");

        status.trainingLane().setRun(null);
        BatchRun batch = new BatchRun();
        batch.setJobName("fm-unlearn-u1");
        batch.setPhase(RunPhase.UNLEARNING);
        status.unlearningLane().setActiveRun(batch);
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).isEqualTo("unlearning 4/4 shards");
        batch.setPhase(RunPhase.FINALIZING);
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).isEqualTo("verifying");

        status.unlearningLane().setActiveRun(null);
        status.erasureLane().setRun(new ErasureRun());
        assertThat(WorkProgress.of(status, entry -> jobs.get(entry.getJobName()))).isEqualTo("erasing");
    }

    @Test
    void requestPhaseIsReadOffItsConditions() {
        UnlearningRequestStatus status = new UnlearningRequestStatus();
        assertThat(RequestPhase.of(status)).isEqualTo("Pending");
        set(status, RequestConditions.ACCEPTED, "False");
        assertThat(RequestPhase.of(status)).isEqualTo("NotAccepted");
        set(status, RequestConditions.ACCEPTED, "True");
        set(status, RequestConditions.PLANNED, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("Planned");
        set(status, RequestConditions.UNLEARNING, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("Unlearning");
        set(status, RequestConditions.QUEUED, "True");
        assertThat(RequestPhase.of(status)).as("its Job held back by Kueue").isEqualTo("WaitingForQuota");
        set(status, RequestConditions.QUEUED, "False");
        set(status, RequestConditions.VERIFIED, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("RollingOut");
        set(status, RequestConditions.ROLLED_OUT, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("Erasing");
        set(status, RequestConditions.COMPLETE, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("Complete");
        set(status, RequestConditions.FAILED, "True");
        assertThat(RequestPhase.of(status)).isEqualTo("Failed");
    }

    private void set(UnlearningRequestStatus status, String type, String value) {
        conditions.set(status.getConditions(), type, value, "Test", "test", 1);
    }

    private static Job job(int completions, int succeeded) {
        return new JobBuilder().withNewSpec().withCompletions(completions).endSpec()
                .withNewStatus().withSucceeded(succeeded).endStatus().build();
    }
}

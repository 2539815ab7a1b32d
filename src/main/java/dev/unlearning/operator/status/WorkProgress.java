package dev.unlearning.operator.status;

import dev.unlearning.api.RecordedJob;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.JobRun;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.TrainingPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.function.Function;

/**
 * What a model's Jobs are doing, for {@code kubectl get}: "training 3/16 shards", "unlearning 1/4 shards",
 * "verifying", "publishing", "erasing". Shard counts come from the Job's own status (succeeded completion
 * indexes of its spec's completions), never from an estimate; no Job, no progress.
 */
public final class WorkProgress {

    private WorkProgress() {
    }

    public static String of(ShardedModelStatus status, Function<RecordedJob, Job> jobs) {
        JobRun training = status.trainingLane().getRun();
        if (training != null) {
            if (training.getPhase() == TrainingPhase.PUBLISHING) {
                return "publishing";
            }
            return shards("training", jobs.apply(training));
        }
        BatchRun batch = status.unlearningLane().getActiveRun();
        if (batch != null) {
            if (batch.getPhase() == RunPhase.FINALIZING) {
                return "verifying";
            }
            return shards("unlearning", jobs.apply(batch));
        }
        return status.erasureLane().getRun() != null ? "erasing" : null;
    }

    private static String shards(String verb, Job job) {
        if (job == null || job.getSpec() == null) {
            return verb;
        }
        int done = job.getStatus() == null || job.getStatus().getSucceeded() == null ? 0
                : job.getStatus().getSucceeded();
        Integer of = job.getSpec().getCompletions();
        return of == null ? verb : verb + " " + Math.min(done, of) + "/" + of + " shards";
    }
}

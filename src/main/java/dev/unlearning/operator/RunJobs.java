package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.store.IdDigestKey;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An unlearning run's Jobs: each one it starts is recorded on the run, and the unlearn Job carries the run itself in
 * an annotation, so status can be rebuilt from the Job if the operator died between creating it and writing status.
 */
final class RunJobs {

    static final String BATCH_ANNOTATION = "unlearning.dev/batch";

    private final KubernetesClient client;
    private final Jobs jobs;
    private final Clock clock;
    private final IdDigestKeys idKeys;

    RunJobs(KubernetesClient client, Jobs jobs, Clock clock, IdDigestKeys idKeys) {
        this.client = client;
        this.jobs = jobs;
        this.clock = clock;
        this.idKeys = idKeys;
    }

    /**
     * The ConfigMap the run's pods read its requests from: each request's selector, record ids and subjects as
     * keyed digests ({@link PrivateSelectors}), so no raw identifier is copied into it.
     */
    void writeRequests(ShardedModel model, BatchRun run, List<UnlearningRequest> members) {
        IdDigestKey key = idKeys.ensure(model.getMetadata().getNamespace());
        client.resource(ModelFiles.requests(model, JobFactory.requestsConfigMapName(model, run), run.getId(), members,
                r -> PrivateSelectors.of(client, r, key))).forceConflicts().serverSideApply();
    }

    /**
     * After an operator restart the run may already have a Job; its annotation says which requests it really
     * carries, so the status follows the Job instead of re-planning around it.
     */
    BatchRun adoptExisting(ShardedModel model, BatchRun planned) {
        Job existing = jobs.get(model.getMetadata().getNamespace(), JobFactory.unlearnJobName(model, planned));
        String recorded = existing == null || existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(BATCH_ANNOTATION);
        return recorded == null ? planned : client.getKubernetesSerialization().unmarshal(recorded, BatchRun.class);
    }

    Job annotated(Job job, BatchRun run) {
        job.getMetadata().setAnnotations(Map.of(BATCH_ANNOTATION, client.getKubernetesSerialization().asJson(run)));
        return job;
    }

    /** Creates {@code job} (or finds it, by name) and makes it the run's current one. */
    void start(BatchRun run, Job job) {
        String name = jobs.ensure(job).getMetadata().getName();
        run.setJobName(name);
        List<String> names = new ArrayList<>(run.getJobNames());
        if (!names.contains(name)) {
            names.add(name);
        }
        run.setJobNames(names);
        run.setStartedAt(Instant.now(clock).toString());
    }
}

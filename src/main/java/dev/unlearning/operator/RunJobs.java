package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.InputPins;
import io.fabric8.kubernetes.api.model.ConfigMap;
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

/** An unlearning run's Jobs: each one it starts is recorded on the run, by name and uid. */
final class RunJobs {

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
        ConfigMap files = ModelFiles.requests(model, JobFactory.requestsConfigMapName(model, run), run.getId(), members,
                r -> PrivateSelectors.of(client, r, key));
        client.resource(files).forceConflicts().serverSideApply();
        // The run's Jobs pin these files by this digest: what the pods read is what was written here.
        run.setRequestsDigest(InputPins.digest(files.getData()));
    }

    /**
     * Creates {@code job} and makes it the run's current one. The run's members come from the model's status
     * alone: nothing a tenant can write (a Job's annotations) decides what a run carries.
     */
    void start(ShardedModel model, BatchRun run, Job job) {
        String name = jobs.start(model, job, run).getMetadata().getName();
        List<String> names = new ArrayList<>(run.getJobNames());
        if (!names.contains(name)) {
            names.add(name);
        }
        run.setJobNames(names);
        run.setStartedAt(Instant.now(clock).toString());
    }
}

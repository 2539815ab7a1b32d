package dev.unlearning.operator;

import dev.unlearning.api.RecordedJob;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The model's Jobs as create-only children, known by the uid the operator got back when it created each one. A
 * name is only a label for people: anyone who can create Jobs in the namespace can take it first, so a Job of that
 * name with another uid is never read, and a taken name makes the operator create its own under a fresh one.
 *
 * <p>Reads go to this class's own informer cache first and to the API server only when the cache does not hold
 * the Job (not yet seen, or really gone): a stale cached Job can only look less finished than it is, and its next
 * change wakes the reconciler anyway. The scale benchmark counted a GET per observation before the cache.
 */
public final class Jobs {

    /** Room for the API server's five random characters within a Job name's 63. */
    private static final int FRESH_NAME_BASE = 57;

    private final KubernetesClient client;
    private final EventRecorder events;
    private InformerEventSource<Job, ShardedModel> informer;

    public Jobs(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** The informer over this operator's Jobs; a Job's change wakes the model that owns it. */
    public synchronized InformerEventSource<Job, ShardedModel> eventSource(EventSourceContext<ShardedModel> context) {
        informer = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ShardedModel.class)
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR).build(), context);
        return informer;
    }

    /**
     * The Job {@code entry} recorded, or null when it is gone, when nothing was recorded, or when its name now
     * holds a Job with another uid (deleted and re-created by someone else).
     */
    public Job recorded(String namespace, RecordedJob entry) {
        if (entry == null || entry.getJobName() == null || entry.getJobUid() == null) {
            return null;
        }
        Job job = byName(namespace, entry.getJobName());
        return job != null && entry.getJobUid().equals(job.getMetadata().getUid()) ? job : null;
    }

    /**
     * Creates {@code job} and records its name and uid in {@code entry}. When its name is taken the Job is created
     * under a fresh one instead (an Event says by whom the name was held): a Job the operator did not create is
     * never adopted, whatever it is called.
     */
    public Job start(ShardedModel owner, Job job, RecordedJob entry) {
        Job created = create(owner, job);
        entry.setJobName(created.getMetadata().getName());
        entry.setJobUid(created.getMetadata().getUid());
        return created;
    }

    private Job create(ShardedModel owner, Job job) {
        String name = job.getMetadata().getName();
        try {
            return client.resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        job.getMetadata().setName(null);
        job.getMetadata().setGenerateName(name.substring(0, Math.min(name.length(), FRESH_NAME_BASE)) + "-");
        Job created = client.resource(job).create();
        events.warning(owner, EventReason.JobNameTaken, "Job name " + name + " was already taken by a Job this "
                + "operator did not record (a leftover, or created by someone else); it is ignored and its work "
                + "runs in Job " + created.getMetadata().getName());
        return created;
    }

    private Job byName(String namespace, String name) {
        InformerEventSource<Job, ShardedModel> cache = informer;
        Job cached = cache == null ? null : cache.get(new ResourceID(name, namespace)).orElse(null);
        return cached != null ? cached : client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }
}

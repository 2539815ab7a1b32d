package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import dev.unlearning.api.ShardedModel;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The model's Jobs as create-only children: a Job, once created, is never changed, and an existing one of the
 * same name is adopted. Reads go to this class's own informer cache first and to the API server only when the
 * cache does not hold the Job (not yet seen, or really gone): a stale cached Job can only look less finished
 * than it is, and its next change wakes the reconciler anyway. The scale benchmark counted a GET per
 * observation before the cache.
 */
public final class Jobs {

    private final KubernetesClient client;
    private InformerEventSource<Job, ShardedModel> informer;

    public Jobs(KubernetesClient client) {
        this.client = client;
    }

    /** The informer over this operator's Jobs; a Job's change wakes the model that owns it. */
    public synchronized InformerEventSource<Job, ShardedModel> eventSource(EventSourceContext<ShardedModel> context) {
        informer = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ShardedModel.class)
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR).build(), context);
        return informer;
    }

    public Job get(String namespace, String name) {
        InformerEventSource<Job, ShardedModel> cache = informer;
        Job cached = cache == null ? null : cache.get(new ResourceID(name, namespace)).orElse(null);
        return cached != null ? cached : client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** Creates the Job unless one of that name exists; returns whichever is there. */
    public Job ensure(Job job) {
        Job existing = get(job.getMetadata().getNamespace(), job.getMetadata().getName());
        if (existing != null) {
            return existing;
        }
        try {
            return client.resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return get(job.getMetadata().getNamespace(), job.getMetadata().getName());
            }
            throw e;
        }
    }
}

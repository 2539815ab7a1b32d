package dev.unlearning.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * Create-once access to Jobs: a Job, once created, is never changed, and an existing one is adopted. Reads
 * go to the Job informer's cache first and to the API server only when the cache does not hold the Job
 * (not yet seen, or really gone): a stale cached Job can only look less finished than it is, and its next
 * change wakes the reconciler anyway. The scale benchmark counted a GET per observation before this.
 */
public final class Jobs {

    private final KubernetesClient client;
    private volatile Function<ResourceID, Optional<Job>> cache = id -> Optional.empty();

    public Jobs(KubernetesClient client) {
        this.client = client;
    }

    /** Serves reads from this cache (the reconciler's Job informer) before asking the API server. */
    public void readThrough(Function<ResourceID, Optional<Job>> informerCache) {
        this.cache = informerCache;
    }

    public Job get(String namespace, String name) {
        return cache.apply(new ResourceID(name, namespace))
                .orElseGet(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
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

package dev.unlearning.operator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Create-once access to Jobs: a Job, once created, is never changed, and an existing one is adopted. */
public final class Jobs {

    private final KubernetesClient client;

    public Jobs(KubernetesClient client) {
        this.client = client;
    }

    public Job get(String namespace, String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
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

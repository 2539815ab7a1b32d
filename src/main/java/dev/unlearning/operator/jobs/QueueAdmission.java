package dev.unlearning.operator.jobs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Kueue holds one of our Jobs back, and why: a Job that carries a queue label and is suspended is waiting
 * for admission; its Workload's {@code QuotaReserved} condition says what quota is missing. Read, never written:
 * Kueue decides, the operator only reports it on the model.
 */
public final class QueueAdmission {

    public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    static final String JOB_UID_LABEL = "kueue.x-k8s.io/job-uid";

    private final KubernetesClient client;

    public QueueAdmission(KubernetesClient client) {
        this.client = client;
    }

    /** Why the Job waits, if Kueue holds it back; empty when it runs, is not queued, or does not exist. */
    public Optional<String> waiting(Job job) {
        if (job == null || job.getSpec() == null || !Boolean.TRUE.equals(job.getSpec().getSuspend())
                || job.getMetadata().getLabels() == null || !job.getMetadata().getLabels().containsKey(QUEUE_LABEL)) {
            return Optional.empty();
        }
        String queue = job.getMetadata().getLabels().get(QUEUE_LABEL);
        String prefix = "Job " + job.getMetadata().getName() + " waits in Kueue queue " + queue;
        List<GenericKubernetesResource> workloads;
        try {
            workloads = client.genericKubernetesResources("kueue.x-k8s.io/v1beta2", "Workload")
                    .inNamespace(job.getMetadata().getNamespace())
                    .withLabel(JOB_UID_LABEL, job.getMetadata().getUid()).list().getItems();
        } catch (KubernetesClientException e) {
            return Optional.of(prefix + " (its Workload cannot be read: " + e.getCode() + "; is Kueue installed?)");
        }
        if (workloads.isEmpty()) {
            return Optional.of(prefix + " (no Workload yet)");
        }
        return Optional.of(prefix + ": " + quotaMessage(workloads.get(0)).orElse("not admitted yet"));
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> quotaMessage(GenericKubernetesResource workload) {
        Object status = workload.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        for (Object c : conditions) {
            Map<String, Object> condition = (Map<String, Object>) c;
            if ("QuotaReserved".equals(condition.get("type")) && "False".equals(condition.get("status"))) {
                return Optional.ofNullable((String) condition.get("message"));
            }
        }
        return Optional.empty();
    }
}

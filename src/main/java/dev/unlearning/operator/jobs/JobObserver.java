package dev.unlearning.operator.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Optional;

/**
 * Reads how a Job ended and what its worker reported. Results travel in the container's termination message
 * (Tekton's convention for task results), so the operator never mounts the store.
 */
public final class JobObserver {

    /** Running, or ended with the last pod's exit code and termination message (if any). */
    public record Outcome(Phase phase, Integer exitCode, JsonNode result, String message) {
    }

    /** Where a Job is. */
    public enum Phase {
        MISSING, RUNNING, SUCCEEDED, FAILED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public JobObserver(KubernetesClient client) {
        this.client = client;
    }

    public Outcome observe(Job job) {
        if (job == null) {
            return new Outcome(Phase.MISSING, null, null, null);
        }
        Phase phase = phase(job);
        if (phase == Phase.RUNNING) {
            return new Outcome(phase, null, null, null);
        }
        Optional<ContainerStateTerminated> last = lastTerminated(job);
        JsonNode result = last.map(ContainerStateTerminated::getMessage).map(JobObserver::parse).orElse(null);
        String message = failureMessage(job);
        return new Outcome(phase, last.map(ContainerStateTerminated::getExitCode).orElse(null), result, message);
    }

    static Phase phase(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Phase.RUNNING;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                return Phase.SUCCEEDED;
            }
            if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
                return Phase.FAILED;
            }
        }
        return Phase.RUNNING;
    }

    private Optional<ContainerStateTerminated> lastTerminated(Job job) {
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName()).list().getItems().stream()
                .flatMap(JobObserver::terminated)
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()));
    }

    private static java.util.stream.Stream<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return java.util.stream.Stream.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> "worker".equals(s.getName()))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated());
    }

    private static String failureMessage(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
                .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())).findFirst().orElse(null);
    }

    private static JsonNode parse(String message) {
        try {
            return message == null || message.isBlank() ? null : JSON.readTree(message);
        } catch (Exception e) {
            return null; // FallbackToLogsOnError: a crash leaves log lines, not JSON
        }
    }
}

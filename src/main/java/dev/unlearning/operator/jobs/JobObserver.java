package dev.unlearning.operator.jobs;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.TerminationMessage;
import dev.unlearning.api.worker.WorkerResult;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.JobOutcome.JobPhase;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads how a Job ended and, where the caller needs it, what its worker reported. Results travel in the
 * container's termination message (Tekton's convention for task results), so the operator never mounts the
 * store; they are decoded with the same records the roles write.
 */
public final class JobObserver {

    /** The Job controller's label on each pod it made, holding the Job's uid. */
    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";

    private final KubernetesClient client;

    public JobObserver(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param resultType the result the Job's worker writes, or null when only the Job's end matters (then no
     *        pod is read: one API request less per finished Job)
     */
    public <T extends WorkerResult> JobOutcome<T> observe(Job job, Class<T> resultType) {
        if (job == null) {
            return JobOutcome.missing();
        }
        JobPhase phase = phase(job);
        if (phase == JobPhase.RUNNING) {
            return JobOutcome.running();
        }
        if (resultType == null) {
            return new JobOutcome<>(phase, null, null, null, failureMessage(job));
        }
        Optional<ContainerStateTerminated> last = lastTerminated(job);
        T result = null;
        String problem = null;
        if (last.isEmpty()) {
            problem = "no terminated worker container found";
        } else {
            try {
                result = TerminationMessage.decode(last.get().getMessage(), resultType).result();
            } catch (TerminationMessage.UnreadableResultException e) {
                problem = e.getMessage();
            }
        }
        ExitCode exit = last.flatMap(t -> ExitCode.of(t.getExitCode())).orElse(null);
        return new JobOutcome<>(phase, exit, result, problem, failureMessage(job));
    }

    static JobPhase phase(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return JobPhase.RUNNING;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
                return JobPhase.SUCCEEDED;
            }
            if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
                return JobPhase.FAILED;
            }
        }
        return JobPhase.RUNNING;
    }

    private Optional<ContainerStateTerminated> lastTerminated(Job job) {
        String uid = job.getMetadata().getUid();
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel(CONTROLLER_UID, uid).list().getItems().stream()
                .filter(pod -> controlledBy(pod, uid))
                .flatMap(JobObserver::terminated)
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()));
    }

    /**
     * Pods are found through the Job's uid, not its name: the label alone can be set on any pod, the controller
     * reference is what the Job controller sets on the pods it made.
     */
    private static boolean controlledBy(Pod pod, String uid) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && "Job".equals(o.getKind())
                        && uid.equals(o.getUid()));
    }

    private static Stream<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Stream.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> WorkerPods.CONTAINER.equals(s.getName()))
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
}

package dev.unlearning.operator;

import dev.unlearning.api.worker.ExitCode;
import dev.unlearning.api.worker.TerminationMessage;
import dev.unlearning.api.worker.WorkerResult;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/**
 * Plays kubelet and Job controller for the operator tests: the API server here has no controllers, so tests
 * finish Jobs themselves, writing the worker pod's exit code and termination message the way a real
 * kubelet would, then the Job's terminal conditions.
 */
final class FakeKubelet {

    private final KubernetesClient client;

    FakeKubelet(KubernetesClient client) {
        this.client = client;
    }

    /** Ends the Job's worker with this termination message, written as the roles write it. */
    void succeed(Job job, WorkerResult result) {
        finish(job, 0, TerminationMessage.encodeToString(result));
    }

    /** Ends the Job's worker with a raw termination message (none, or one no role would write). */
    void succeedWithMessage(Job job, String message) {
        finish(job, 0, message);
    }

    void fail(Job job, ExitCode exitCode, WorkerResult result) {
        finish(job, exitCode.code(), TerminationMessage.encodeToString(result));
    }

    private void finish(Job job, int exitCode, String message) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String uid = client.batch().v1().jobs().inNamespace(ns).withName(name).get().getMetadata().getUid();
        // As the Job controller makes them: its uid in a label and in the controller reference.
        Pod pod = client.resource(new PodBuilder()
                .withNewMetadata().withName(name + "-pod").withNamespace(ns)
                    .addToLabels("batch.kubernetes.io/job-name", name).addToLabels("job-name", name)
                    .addToLabels("batch.kubernetes.io/controller-uid", uid)
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(name).withUid(uid)
                        .withController(true).endOwnerReference()
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build()).create();
        pod.setStatus(new PodStatusBuilder()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName("worker").withImage("worker")
                        .withImageID("").withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(exitCode).withMessage(message)
                            .withFinishedAt(now).withStartedAt(now).endTerminated().endState()
                        .build())
                .build());
        client.resource(pod).updateStatus();

        Job current = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        boolean indexed = "Indexed".equals(current.getSpec().getCompletionMode());
        int completions = current.getSpec().getCompletions() == null ? 1 : current.getSpec().getCompletions();
        JobStatusBuilder status = new JobStatusBuilder().withStartTime(now).withActive(0).withReady(0)
                .withTerminating(0).withNewUncountedTerminatedPods().endUncountedTerminatedPods();
        if (exitCode == 0) {
            status.withSucceeded(completions).withFailed(0).withCompletionTime(now)
                    .withConditions(condition("SuccessCriteriaMet", now), condition("Complete", now));
            if (indexed) {
                status.withCompletedIndexes(completions == 1 ? "0" : "0-" + (completions - 1));
            }
        } else {
            status.withSucceeded(0).withFailed(1)
                    .withConditions(condition("FailureTarget", now), condition("Failed", now));
            if (indexed) {
                status.withFailedIndexes("0");
            }
        }
        JobStatus built = status.build();
        current.setStatus(built);
        client.resource(current).updateStatus();
    }

    private static JobCondition condition(String type, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(type)
                .withMessage("set by the test").withLastTransitionTime(now).withLastProbeTime(now).build();
    }

    /** Reports the Deployment fully rolled out at its current generation. */
    void rollOut(Deployment deployment) {
        Deployment current = client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName()).get();
        int replicas = current.getSpec().getReplicas();
        current.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(current.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                .withAvailableReplicas(replicas).build());
        client.resource(current).updateStatus();
    }
}

package dev.unlearning.operator;

import dev.unlearning.operator.conventions.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a serving rollout is not moving, read off its pods and Deployment: a new version's pod the scheduler cannot
 * place, an image that cannot be pulled, a container that keeps crashing, or a Deployment past its progress
 * deadline. Without it a request said "rolling out" for as long as a pod stayed Pending (found on a 2-CPU node,
 * where the next version's pod did not fit beside the old one).
 */
public final class RolloutStall {

    /** Waiting reasons that do not clear by themselves. */
    static final Set<String> STUCK = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError");

    private RolloutStall() {
    }

    /** The first reason the rollout to {@code version} is stuck, if any; pods of other versions are ignored. */
    public static Optional<String> of(Deployment deployment, List<Pod> pods, int version) {
        String wanted = Integer.toString(version);
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null || pod.getMetadata().getAnnotations() == null
                    || !wanted.equals(pod.getMetadata().getAnnotations().get(Labels.VERSION))
                    || pod.getStatus() == null) {
                continue;
            }
            String name = pod.getMetadata().getName();
            for (PodCondition c : nullSafe(pod.getStatus().getConditions())) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return Optional.of("serving pod " + name + " cannot be scheduled: " + c.getMessage());
                }
            }
            for (ContainerStatus s : nullSafe(pod.getStatus().getContainerStatuses())) {
                var waiting = s.getState() == null ? null : s.getState().getWaiting();
                if (waiting != null && STUCK.contains(waiting.getReason())) {
                    return Optional.of("serving pod " + name + ": " + waiting.getReason()
                            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
                }
            }
        }
        if (deployment != null && deployment.getStatus() != null) {
            for (DeploymentCondition c : nullSafe(deployment.getStatus().getConditions())) {
                boolean failed = "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())
                        || "Progressing".equals(c.getType()) && "False".equals(c.getStatus());
                if (failed) {
                    return Optional.of("serving Deployment " + deployment.getMetadata().getName() + ": "
                            + c.getReason() + ": " + c.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}

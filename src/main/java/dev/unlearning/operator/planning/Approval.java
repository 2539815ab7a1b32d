package dev.unlearning.operator.planning;

import dev.unlearning.api.RolloutPolicy;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.UnlearningRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one rule for Manual rollouts: a version that carries a Manual request is served only once that request
 * is annotated {@value #ANNOTATION}{@code ="true"}. The model applies it to choose what to serve; the
 * request applies it to say why it is not rolled out yet.
 */
public final class Approval {

    public static final String ANNOTATION = "unlearning.dev/approve-rollout";

    /** Where a verified request's version stands with serving. */
    public enum Rollout {
        AWAITING_APPROVAL, IN_PROGRESS, ROLLED_OUT, SERVING_DISABLED
    }

    private Approval() {
    }

    public static boolean approved(UnlearningRequest request) {
        return request.getSpec().getRollout() != RolloutPolicy.MANUAL || "true".equals(Optional
                .ofNullable(request.getMetadata().getAnnotations()).map(a -> a.get(ANNOTATION)).orElse(null));
    }

    /**
     * The newest version serving may run: the current one, unless a published run carries a request that still
     * waits for its approval; then the version before that run's.
     */
    public static int servingTarget(int currentVersion, List<RunRecord> runs,
            Function<RunMember, Optional<UnlearningRequest>> requests) {
        int target = currentVersion;
        for (RunRecord run : runs) {
            if (run.getOutcome() != RunOutcome.PUBLISHED || run.getVersion() == null) {
                continue;
            }
            boolean heldBack = run.getRequests().stream().map(requests).flatMap(Optional::stream)
                    .anyMatch(r -> !approved(r));
            if (heldBack) {
                target = Math.min(target, run.getVersion() - 1);
            }
        }
        return target;
    }

    public static Rollout rollout(UnlearningRequest request, int resultingVersion, int servingReplicas,
            Integer servingVersion) {
        if (servingReplicas == 0) {
            return Rollout.SERVING_DISABLED;
        }
        if (servingVersion != null && servingVersion >= resultingVersion) {
            return Rollout.ROLLED_OUT;
        }
        return approved(request) ? Rollout.IN_PROGRESS : Rollout.AWAITING_APPROVAL;
    }
}

package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.planning.Methods;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.operator.planning.PendingRequest;
import dev.unlearning.operator.planning.RequestKind;
import dev.unlearning.operator.status.RequestStatusAggregator;
import java.time.Instant;
import java.util.List;

/** Which requests a run carries, and which wait for one: read from the requests and the model's status. */
final class RunMembership {

    private RunMembership() {
    }

    /**
     * Accepted and planned requests that no run carries or carried. A request named by a run the status never
     * recorded (the operator died in between) is pending too: planning it again finds that run's Job by name.
     */
    static List<PendingRequest> pending(ShardedModel model, ShardedModelStatus status,
            List<UnlearningRequest> requests) {
        return requests.stream()
                .filter(r -> RequestConditions.isTrue(r, RequestConditions.ACCEPTED)
                        && RequestConditions.isTrue(r, RequestConditions.PLANNED) && !RequestConditions.ended(r)
                        && !r.getSpec().dryRun())
                .filter(r -> status.unlearningLane().getRuns().stream().noneMatch(run -> carries(run.getRequests(), r)))
                .map(r -> new PendingRequest(member(r), Methods.effective(model.getSpec(), r.getSpec().getMethod(),
                        RequestKind.of(r.getSpec())), Methods.isAuto(r.getSpec().getMethod()),
                        Instant.parse(r.getStatus().condition(RequestConditions.ACCEPTED).orElseThrow()
                                .getLastTransitionTime()),
                        RequestStatusAggregator.deadline(r),
                        Instant.parse(r.getMetadata().getCreationTimestamp()), r.getStatus().getAffectedShards(),
                        Gates.key(r.getSpec().getVerification())))
                .toList();
    }

    /** The requests {@code run} carries, of those that still exist. */
    static List<UnlearningRequest> members(BatchRun run, List<UnlearningRequest> requests) {
        return requests.stream().filter(r -> carries(run.getRequests(), r)).toList();
    }

    /** Whether some request of {@code members} still exists and has not ended. */
    static boolean anyLive(List<RunMember> members, List<UnlearningRequest> requests) {
        return members.stream().anyMatch(m -> requests.stream().anyMatch(r -> m.is(r) && !RequestConditions.ended(r)));
    }

    static RunMember member(UnlearningRequest request) {
        return new RunMember(request.getMetadata().getName(), request.getMetadata().getUid());
    }

    private static boolean carries(List<RunMember> members, UnlearningRequest request) {
        return members.stream().anyMatch(m -> m.is(request));
    }
}

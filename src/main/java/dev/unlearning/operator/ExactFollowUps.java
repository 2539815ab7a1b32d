package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ExactFollowUp;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.operator.planning.BatchPlanner;
import dev.unlearning.operator.status.RequestStatusAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The exact retrains an approximate version owes ({@code status.exactPending}): owed when such a version is
 * published, settled by the exact follow-up run, dropped when every request that wanted one ended.
 */
final class ExactFollowUps {

    private ExactFollowUps() {
    }

    /** The owed retrains as the planner takes them. */
    static List<BatchPlanner.FollowUp> planned(ShardedModelStatus status) {
        return status.unlearningLane().getExactPending().stream()
                .map(f -> new BatchPlanner.FollowUp(f.getRequests(), f.getShards(), Instant.parse(f.getDue()))).toList();
    }

    /**
     * After an approximate version, its altered shards owe an exact retrain to the requests that want one, due at
     * their earliest deadline or after {@code exactWithin}; after an exact run nothing is owed, and the exact
     * follow-up settles what its requests were owed. Returns the new debt, if the run made one.
     */
    static Optional<ExactFollowUp> afterPublish(ShardedModelStatus status, BatchRun run, int version,
            List<UnlearningRequest> members, Duration exactWithin, Instant now) {
        if (run.getFollowUp()) {
            settle(status, run);
            return Optional.empty();
        }
        List<UnlearningRequest> owed = members.stream().filter(r -> r.getSpec().getExactFollowUp()).toList();
        if (run.getMethod() == UnlearningMethod.EXACT || owed.isEmpty()) {
            return Optional.empty();
        }
        Instant due = now.plus(exactWithin);
        for (UnlearningRequest request : owed) {
            Instant deadline = RequestStatusAggregator.deadline(request);
            if (deadline != null && deadline.isBefore(due)) {
                due = deadline;
            }
        }
        ExactFollowUp followUp = new ExactFollowUp();
        followUp.setRequests(owed.stream().map(RunMembership::member).toList());
        // Only the shards holding what these requests named owe a retrain; shards the run altered for requests
        // that opted out keep their approximate state.
        followUp.setShards(List.copyOf(owed.stream().flatMap(r -> r.getStatus().getAffectedShards().stream())
                .collect(Collectors.toCollection(TreeSet::new))));
        followUp.setApproximateVersion(version);
        followUp.setDue(due.toString());
        List<ExactFollowUp> pending = new ArrayList<>(status.unlearningLane().getExactPending());
        pending.add(followUp);
        status.unlearningLane().setExactPending(pending);
        return Optional.of(followUp);
    }

    /** The follow-up carried every owed retrain its requests had. */
    static void settle(ShardedModelStatus status, BatchRun run) {
        status.unlearningLane().setExactPending(new ArrayList<>(status.unlearningLane().getExactPending().stream()
                .filter(f -> !run.getRequests().containsAll(f.getRequests())).toList()));
    }

    /** Owed retrains of deleted or ended requests are dropped. */
    static void forgetEnded(ShardedModelStatus status, List<UnlearningRequest> requests) {
        List<ExactFollowUp> live = status.unlearningLane().getExactPending().stream()
                .filter(f -> RunMembership.anyLive(f.getRequests(), requests)).toList();
        if (live.size() != status.unlearningLane().getExactPending().size()) {
            status.unlearningLane().setExactPending(new ArrayList<>(live));
        }
    }
}

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
 * published, settled by the exact follow-up run, retried with backoff when that run fails, dropped only when every
 * request that wanted one is gone or ended (a request owed one is kept from going by its finalizer until then).
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

    /**
     * The follow-up failed: what it carried is still owed (the published version's shards are still approximate),
     * so it runs again after {@code retry}, doubled with each failure up to {@link #MOST_BETWEEN_RETRIES}.
     * Returns when.
     */
    static Instant retryLater(ShardedModelStatus status, BatchRun run, String failure, Duration retry, Instant now) {
        Instant latest = now;
        List<ExactFollowUp> pending = new ArrayList<>();
        for (ExactFollowUp owed : status.unlearningLane().getExactPending()) {
            if (run.getRequests().containsAll(owed.getRequests())) {
                ExactFollowUp again = new ExactFollowUp();
                again.setRequests(owed.getRequests());
                again.setShards(owed.getShards());
                again.setApproximateVersion(owed.getApproximateVersion());
                again.setAttempts(owed.getAttempts() + 1);
                again.setLastFailure(failure);
                Duration wait = retry.multipliedBy(1L << Math.min(again.getAttempts() - 1, 16));
                Instant due = now.plus(wait.compareTo(MOST_BETWEEN_RETRIES) > 0 ? MOST_BETWEEN_RETRIES : wait);
                again.setDue(due.toString());
                latest = due.isAfter(latest) ? due : latest;
                pending.add(again);
            } else {
                pending.add(owed);
            }
        }
        status.unlearningLane().setExactPending(pending);
        return latest;
    }

    static final Duration MOST_BETWEEN_RETRIES = Duration.ofHours(1);

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

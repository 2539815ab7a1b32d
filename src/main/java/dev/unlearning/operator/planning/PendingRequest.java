package dev.unlearning.operator.planning;

import dev.unlearning.api.RunMember;
import dev.unlearning.api.UnlearningMethod;
import java.time.Instant;
import java.util.List;

/**
 * What the planner needs to know of an accepted request that no run has carried out yet.
 *
 * @param method the concrete method it resolves to (Auto already resolved)
 * @param auto whether it asked for Auto, so a failed gate falls back to Exact
 * @param deadline null when the request has none
 */
public record PendingRequest(RunMember member, UnlearningMethod method, boolean auto, Instant acceptedAt,
        Instant deadline, Instant createdAt, List<Integer> affectedShards) {
}

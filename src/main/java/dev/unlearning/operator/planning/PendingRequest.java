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
 * @param gate the request's own verification thresholds in a canonical form ({@link Gates#key}); requests share a
 *        run only with requests of the same gate, so no request's stricter threshold can fail another's run
 */
public record PendingRequest(RunMember member, UnlearningMethod method, boolean auto, Instant acceptedAt,
        Instant deadline, Instant createdAt, List<Integer> affectedShards, String gate) {

    public PendingRequest(RunMember member, UnlearningMethod method, boolean auto, Instant acceptedAt,
            Instant deadline, Instant createdAt, List<Integer> affectedShards) {
        this(member, method, auto, acceptedAt, deadline, createdAt, affectedShards, "");
    }
}

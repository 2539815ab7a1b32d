package dev.unlearning.operator.planning;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.UnlearningMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides the next unlearning run of a model from its pending requests. Requests wait for the batching window
 * (counted from the oldest acceptance) so that those arriving together share one run; the run takes the
 * request with the earliest deadline first (then the oldest) and every pending request of the same method and
 * the same verification thresholds, over the union of their shards. One method and one gate per run: the others
 * wait for the next run, so a request's strict threshold can only fail its own run.
 *
 * <p>Exact follow-ups (shards altered by an approximate method, owed an exact retrain by their due time) are
 * coalesced: they become ready {@code lead} before the earliest due time, then run as one Exact run over all
 * of them as soon as no interactive run is starting; in the last half of the lead they go first.
 */
public final class BatchPlanner {

    /** What to do now. */
    public sealed interface Plan permits Idle, WaitUntil, Start {
    }

    /** Nothing is pending. */
    public record Idle() implements Plan {
    }

    /** Requests are pending but the window is still open. */
    public record WaitUntil(Instant due) implements Plan {
    }

    /** Start this run. */
    public record Start(BatchRun run) implements Plan {
    }

    private static final Comparator<PendingRequest> URGENCY = Comparator
            .comparing((PendingRequest r) -> r.deadline() == null ? Instant.MAX : r.deadline())
            .thenComparing(PendingRequest::createdAt)
            .thenComparing(r -> r.member().getName());

    private BatchPlanner() {
    }

    /** Shards that still owe an exact retrain for these requests, by {@code due}. */
    public record FollowUp(List<RunMember> requests, List<Integer> shards, Instant due) {
    }

    /**
     * @param runNumber the number of the run to start (runs are never renumbered: u1, u2, ...)
     * @param lead how long before the earliest due time follow-ups stop waiting for more to coalesce
     */
    public static Plan plan(List<PendingRequest> pending, List<FollowUp> followUps, Duration window, Duration lead,
            Instant now, int runNumber, int baseVersion) {
        Plan interactive = plan(pending, window, now, runNumber, baseVersion);
        if (followUps.isEmpty()) {
            return interactive;
        }
        Instant due = followUps.stream().map(FollowUp::due).min(Instant::compareTo).orElseThrow();
        Instant ready = due.minus(lead);
        boolean urgent = !now.isBefore(due.minus(lead.dividedBy(2)));
        if (!now.isBefore(ready) && (urgent || !(interactive instanceof Start))) {
            return new Start(followUp(followUps, now, runNumber, baseVersion));
        }
        if (interactive instanceof WaitUntil wait) {
            return new WaitUntil(wait.due().isBefore(ready) ? wait.due() : ready);
        }
        return interactive instanceof Idle ? new WaitUntil(ready) : interactive;
    }

    private static BatchRun followUp(List<FollowUp> followUps, Instant now, int runNumber, int baseVersion) {
        BatchRun run = new BatchRun();
        run.setId("u" + runNumber);
        run.setRequests(followUps.stream().flatMap(f -> f.requests().stream()).distinct().toList());
        run.setMethod(UnlearningMethod.EXACT);
        run.setFollowUp(true);
        run.setShards(List.copyOf(followUps.stream().flatMap(f -> f.shards().stream())
                .collect(Collectors.toCollection(TreeSet::new))));
        run.setBaseVersion(baseVersion);
        run.setPhase(RunPhase.UNLEARNING);
        run.setStartedAt(now.toString());
        return run;
    }

    /** Interactive requests only. */
    public static Plan plan(List<PendingRequest> pending, Duration window, Instant now, int runNumber,
            int baseVersion) {
        if (pending.isEmpty()) {
            return new Idle();
        }
        Instant oldest = pending.stream().map(PendingRequest::acceptedAt).min(Instant::compareTo).orElseThrow();
        Instant due = oldest.plus(window);
        if (now.isBefore(due)) {
            return new WaitUntil(due);
        }
        List<PendingRequest> ordered = pending.stream().sorted(URGENCY).toList();
        PendingRequest first = ordered.get(0);
        UnlearningMethod method = first.method();
        // One method and one gate per run: a request asking for stricter thresholds runs apart, so a miss fails
        // only the requests that asked for them.
        List<PendingRequest> members = ordered.stream()
                .filter(r -> r.method() == method && java.util.Objects.equals(r.gate(), first.gate())).toList();
        BatchRun run = new BatchRun();
        run.setId("u" + runNumber);
        run.setRequests(members.stream().map(PendingRequest::member).toList());
        run.setMethod(method);
        run.setFallbackToExact(first.auto() && method != UnlearningMethod.EXACT);
        run.setShards(List.copyOf(members.stream().flatMap(r -> r.affectedShards().stream())
                .collect(Collectors.toCollection(TreeSet::new))));
        run.setBaseVersion(baseVersion);
        run.setPhase(RunPhase.UNLEARNING);
        run.setStartedAt(now.toString());
        return new Start(run);
    }
}

package dev.unlearning.operator.planning;

import dev.unlearning.api.BatchRun;
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
 * request with the earliest deadline first (then the oldest) and every pending request of the same method,
 * over the union of their shards. One method per run: the others wait for the next run.
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

    /**
     * @param runNumber the number of the run to start (runs are never renumbered: u1, u2, ...)
     */
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
        List<PendingRequest> members = ordered.stream().filter(r -> r.method() == method).toList();
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

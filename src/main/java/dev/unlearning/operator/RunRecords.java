package dev.unlearning.operator;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The finished runs in the model's status ({@code status.runs}), from which each request copies its outcome: a
 * record is added when a run ends and leaves once every request it carried has ended (or was deleted).
 */
final class RunRecords {

    /** A backstop on status size; records normally leave once their requests have ended. */
    static final int MAX_RUN_RECORDS = 100;

    private RunRecords() {
    }

    static RunRecord of(BatchRun run, RunOutcome outcome, String reason, String message, Instant at) {
        RunRecord record = new RunRecord();
        record.setId(run.getId());
        record.setRequests(run.getRequests());
        record.setMethod(run.getMethod());
        record.setOutcome(outcome);
        record.setReason(reason);
        record.setMessage(message);
        record.setJobNames(run.getJobNames());
        record.setFinishedAt(at.toString());
        return record;
    }

    /** A run ended with {@code record}. */
    static void add(ShardedModelStatus status, RunRecord record) {
        List<RunRecord> runs = new ArrayList<>(status.unlearningLane().getRuns());
        runs.add(record);
        status.unlearningLane().setRuns(runs);
    }

    /** Drops the records whose requests have all copied their outcome and ended (or were deleted). */
    static void forgetEnded(ShardedModelStatus status, List<UnlearningRequest> requests) {
        List<RunRecord> kept = new ArrayList<>(status.unlearningLane().getRuns().stream()
                .filter(run -> RunMembership.anyLive(run.getRequests(), requests)).toList());
        while (kept.size() > MAX_RUN_RECORDS) {
            kept.remove(0);
        }
        if (kept.size() != status.unlearningLane().getRuns().size()) {
            status.unlearningLane().setRuns(kept);
        }
    }
}

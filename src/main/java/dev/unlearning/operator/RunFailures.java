package dev.unlearning.operator;

import dev.unlearning.api.ShardedModelStatus;

/**
 * The model's last unlearning failure ({@code status.lanes.unlearning.lastFailure}), behind its Degraded condition: set when a run
 * fails, cleared when a new version is published, trained or unlearned, since that version supersedes what
 * failed. The rule lives here; the steps only say what happened.
 */
final class RunFailures {

    private RunFailures() {
    }

    static void failed(ShardedModelStatus status, String message) {
        status.unlearningLane().setLastFailure(message);
    }

    static void superseded(ShardedModelStatus status) {
        status.unlearningLane().setLastFailure(null);
    }
}

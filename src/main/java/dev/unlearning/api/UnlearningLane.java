package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The model's unlearning: the run in progress, finished runs whose requests have not all ended, and the exact retrains still owed. */
public class UnlearningLane {

    @JsonPropertyDescription("The unlearning run in progress, if any; at most one per model.")
    private BatchRun activeRun;

    @JsonPropertyDescription("Unlearning runs started so far; names the next run.")
    private int started;

    @JsonPropertyDescription("Finished unlearning runs whose requests have not all ended; each request copies its outcome from here.")
    private List<RunRecord> runs = new ArrayList<>();

    @JsonPropertyDescription("Approximately forgotten requests that still owe an exact retrain, with the time it is due.")
    private List<ExactFollowUp> exactPending = new ArrayList<>();

    @JsonPropertyDescription("Why the last unlearning run failed, until a version published since supersedes it.")
    private String lastFailure;

    public BatchRun getActiveRun() {
        return activeRun;
    }

    public void setActiveRun(BatchRun activeRun) {
        this.activeRun = activeRun;
    }

    public int getStarted() {
        return started;
    }

    public void setStarted(int started) {
        this.started = started;
    }

    public List<RunRecord> getRuns() {
        return runs;
    }

    public void setRuns(List<RunRecord> runs) {
        this.runs = runs;
    }

    public List<ExactFollowUp> getExactPending() {
        return exactPending;
    }

    public void setExactPending(List<ExactFollowUp> exactPending) {
        this.exactPending = exactPending;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public void setLastFailure(String lastFailure) {
        this.lastFailure = lastFailure;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnlearningLane o && Objects.equals(activeRun, o.activeRun) && started == o.started &&
                Objects.equals(runs, o.runs) && Objects.equals(exactPending, o.exactPending) &&
                Objects.equals(lastFailure, o.lastFailure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(activeRun, started, runs, exactPending, lastFailure);
    }
}

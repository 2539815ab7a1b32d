package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The model's erasure of superseded versions from the store. */
public class ErasureLane {

    @JsonPropertyDescription("The erasure in progress, if any; it runs only while no other Job of the model runs.")
    private ErasureRun run;

    @JsonPropertyDescription("Erasures started so far; names the next one.")
    private int started;

    @JsonPropertyDescription("What the last finished erasure deleted.")
    private ErasureRecord last;

    @JsonPropertyDescription("Why the last erasure failed, until one succeeds.")
    private String failure;

    @JsonPropertyDescription("When the last erasure failed; the next try waits a minute.")
    private String failedAt;

    @JsonPropertyDescription("The Job purging the store while the model is deleted with deletionPolicy Delete.")
    private JobReference purge;

    public JobReference getPurge() {
        return purge;
    }

    public void setPurge(JobReference purge) {
        this.purge = purge;
    }

    public ErasureRun getRun() {
        return run;
    }

    public void setRun(ErasureRun run) {
        this.run = run;
    }

    public int getStarted() {
        return started;
    }

    public void setStarted(int started) {
        this.started = started;
    }

    public ErasureRecord getLast() {
        return last;
    }

    public void setLast(ErasureRecord last) {
        this.last = last;
    }

    public String getFailure() {
        return failure;
    }

    public void setFailure(String failure) {
        this.failure = failure;
    }

    public String getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(String failedAt) {
        this.failedAt = failedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErasureLane o && Objects.equals(run, o.run) && started == o.started &&
                Objects.equals(last, o.last) && Objects.equals(failure, o.failure) &&
                Objects.equals(failedAt, o.failedAt) && Objects.equals(purge, o.purge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, started, last, failure, failedAt, purge);
    }
}

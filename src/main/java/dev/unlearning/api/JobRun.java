package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A training run the operator started and follows. */
public class JobRun extends JobIdentity {

    @JsonPropertyDescription("Run id; Job names and the store's staging area derive from it.")
    private String run;

    @JsonPropertyDescription("Training (the Indexed Job trains the shards), Publishing (the publish Job makes them a version) or Failed.")
    private TrainingPhase phase;

    @JsonPropertyDescription("Training only: digest of the dataset ledger's entries the run left out; a run whose "
            + "ledger gained entries while it trained is started again instead of published.")
    private String ledger;

    public String getLedger() {
        return ledger;
    }

    public void setLedger(String ledger) {
        this.ledger = ledger;
    }

    @JsonPropertyDescription("Why the run failed (phase Failed).")
    private String failure;

    public String getFailure() {
        return failure;
    }

    public void setFailure(String failure) {
        this.failure = failure;
    }

    @JsonPropertyDescription("When the current phase started.")
    private String startedAt;

    public String getRun() {
        return run;
    }

    public void setRun(String run) {
        this.run = run;
    }

    public TrainingPhase getPhase() {
        return phase;
    }

    public void setPhase(TrainingPhase phase) {
        this.phase = phase;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobRun o && Objects.equals(run, o.run) && sameJob(o)
                && Objects.equals(phase, o.phase) && Objects.equals(ledger, o.ledger)
                && Objects.equals(failure, o.failure) && Objects.equals(startedAt, o.startedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, jobHash(), phase, ledger, failure, startedAt);
    }
}

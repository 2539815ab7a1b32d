package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A training run the operator started and follows. */
public class JobRun implements RecordedJob {

    @JsonPropertyDescription("Run id; Job names and the store's staging area derive from it.")
    private String run;

    @JsonPropertyDescription("The Job of the current phase.")
    private String jobName;

    @JsonPropertyDescription("The uid of that Job as the operator created it: a Job of the same name with another "
            + "uid is someone else\'s and is never read.")
    private String jobUid;

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

    @Override
    public String getJobName() {
        return jobName;
    }

    @Override
    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    @Override
    public String getJobUid() {
        return jobUid;
    }

    @Override
    public void setJobUid(String jobUid) {
        this.jobUid = jobUid;
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
        return other instanceof JobRun o && Objects.equals(run, o.run) && Objects.equals(jobName, o.jobName) && Objects.equals(jobUid, o.jobUid)
                && Objects.equals(phase, o.phase) && Objects.equals(ledger, o.ledger)
                && Objects.equals(failure, o.failure) && Objects.equals(startedAt, o.startedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, jobName, jobUid, phase, ledger, failure, startedAt);
    }
}

package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Job the operator started and follows. */
public class JobRun {

    @JsonPropertyDescription("Run id; the store keeps the run's staged results under it.")
    private String run;

    private String jobName;

    @JsonPropertyDescription("Running, Finalizing, Succeeded or Failed.")
    private String phase;

    private String startedAt;

    public String getRun() {
        return run;
    }

    public void setRun(String run) {
        this.run = run;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }
}

package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The model's training: the run in progress and what names the next one. */
public class TrainingLane {

    @JsonPropertyDescription("The training run in progress, or the failed one until the spec changes or a version is published.")
    private JobRun run;

    @JsonPropertyDescription("Training runs started so far; names the next one, so run ids are never reused.")
    private int started;

    @JsonPropertyDescription("Fingerprint of the spec parts the current version was trained from.")
    private String fingerprint;

    public JobRun getRun() {
        return run;
    }

    public void setRun(JobRun run) {
        this.run = run;
    }

    public int getStarted() {
        return started;
    }

    public void setStarted(int started) {
        this.started = started;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public void setFingerprint(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingLane o && Objects.equals(run, o.run) && started == o.started &&
                Objects.equals(fingerprint, o.fingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(run, started, fingerprint);
    }
}

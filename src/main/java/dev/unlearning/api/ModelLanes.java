package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The model's exclusive work, one lane each: at most one of them runs a Job at a time. */
public class ModelLanes {

    @JsonPropertyDescription("Training runs.")
    private TrainingLane training = new TrainingLane();

    @JsonPropertyDescription("Unlearning runs and what they still owe.")
    private UnlearningLane unlearning = new UnlearningLane();

    @JsonPropertyDescription("Erasure runs.")
    private ErasureLane erasure = new ErasureLane();

    public TrainingLane getTraining() {
        return training;
    }

    public void setTraining(TrainingLane training) {
        this.training = training;
    }

    public UnlearningLane getUnlearning() {
        return unlearning;
    }

    public void setUnlearning(UnlearningLane unlearning) {
        this.unlearning = unlearning;
    }

    public ErasureLane getErasure() {
        return erasure;
    }

    public void setErasure(ErasureLane erasure) {
        this.erasure = erasure;
    }

    /** The Job the model's exclusive work runs in now (a training, an unlearning run or an erasure); null when idle. */
    public RecordedJob currentJob() {
        if (training.getRun() != null) {
            return training.getRun();
        }
        if (unlearning.getActiveRun() != null) {
            return unlearning.getActiveRun();
        }
        return erasure.getRun();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelLanes o && Objects.equals(training, o.training) &&
                Objects.equals(unlearning, o.unlearning) && Objects.equals(erasure, o.erasure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(training, unlearning, erasure);
    }
}

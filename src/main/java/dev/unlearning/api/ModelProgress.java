package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where one model stands with a dataset-wide request: the per-model request that carries it out. */
public class ModelProgress {

    private String model;

    @JsonPropertyDescription("The UnlearningRequest, owned by this one, that makes this model forget.")
    private String request;

    @JsonPropertyDescription("Pending, InProgress, Forgotten (approximately, exact retrain owed), Complete or Failed.")
    private String phase;

    private Guarantee guarantee;

    private Integer resultingVersion;

    private String message;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getRequest() {
        return request;
    }

    public void setRequest(String request) {
        this.request = request;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public Guarantee getGuarantee() {
        return guarantee;
    }

    public void setGuarantee(Guarantee guarantee) {
        this.guarantee = guarantee;
    }

    public Integer getResultingVersion() {
        return resultingVersion;
    }

    public void setResultingVersion(Integer resultingVersion) {
        this.resultingVersion = resultingVersion;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelProgress o && Objects.equals(model, o.model)
                && Objects.equals(request, o.request) && Objects.equals(phase, o.phase)
                && Objects.equals(guarantee, o.guarantee) && Objects.equals(resultingVersion, o.resultingVersion)
                && Objects.equals(message, o.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, request, phase, guarantee, resultingVersion, message);
    }
}

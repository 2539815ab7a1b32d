package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Thresholds a new version must meet before it may be served; unset means no limit. */
public class VerificationSpec {

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest accuracy allowed on the forgotten records.")
    private Double maxForgetAccuracy;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest membership-inference AUC (forget vs unseen test records).")
    private Double maxMiaAuc;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Lowest test accuracy allowed.")
    private Double minTestAccuracy;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest backdoor attack success rate, for canary requests.")
    private Double maxBackdoorAsr;

    public Double getMaxForgetAccuracy() {
        return maxForgetAccuracy;
    }

    public void setMaxForgetAccuracy(Double maxForgetAccuracy) {
        this.maxForgetAccuracy = maxForgetAccuracy;
    }

    public Double getMaxMiaAuc() {
        return maxMiaAuc;
    }

    public void setMaxMiaAuc(Double maxMiaAuc) {
        this.maxMiaAuc = maxMiaAuc;
    }

    public Double getMinTestAccuracy() {
        return minTestAccuracy;
    }

    public void setMinTestAccuracy(Double minTestAccuracy) {
        this.minTestAccuracy = minTestAccuracy;
    }

    public Double getMaxBackdoorAsr() {
        return maxBackdoorAsr;
    }

    public void setMaxBackdoorAsr(Double maxBackdoorAsr) {
        this.maxBackdoorAsr = maxBackdoorAsr;
    }
}

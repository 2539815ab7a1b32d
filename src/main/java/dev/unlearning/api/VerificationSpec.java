package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Thresholds a new version must meet before it may be served. On a model, an unset threshold takes the
 * {@link #defaults} (relative ones, unless None); on a request, an unset threshold adds nothing. A request can
 * only tighten its model's gate.
 */
public class VerificationSpec {

    @JsonPropertyDescription("On a model: the thresholds an unset one falls back to. Relative (the default): "
            + "maxForgetAccuracyGap 0.02, maxMiaAdvantage 0.05, maxTestAccuracyDrop 0.02, and for runs with a "
            + "backdoorTrigger maxBackdoorAsrExcess 0.02, for runs that forget labels maxForgottenClassTestAccuracy "
            + "0.02. None: only thresholds "
            + "set here, for data without held-out records. On a request: Relative also applies them when the "
            + "model opted out; None adds nothing.")
    private GateDefaults defaults;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest forget-set accuracy above look-alike held-out accuracy (same classes, same mix), "
            + "widened by forgetAccuracyGapNoise: three standard errors at the measured sample sizes.")
    private Double maxForgetAccuracyGap;

    @Min(0)
    @Max(0.5)
    @JsonPropertyDescription("Highest membership-inference advantage: loss-attack AUC of the forget set against "
            + "look-alike held-out records of the same classes, minus 0.5; widened by miaAdvantageNoise.")
    private Double maxMiaAdvantage;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest backdoor attack success rate above the rate at which the same held-out images, "
            + "untriggered, are already classified as the target; widened by backdoorAsrExcessNoise. For canary "
            + "requests (backdoorTrigger); 0.02 by default when a run has one.")
    private Double maxBackdoorAsrExcess;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Highest held-out accuracy on the classes the run forgets (forget.labels): a model "
            + "that never saw a class cannot name it, so a retrain scores 0. 0.02 by default when a run forgets labels.")
    private Double maxForgottenClassTestAccuracy;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Largest test-accuracy drop from the version the run started from, over the classes "
            + "the request keeps.")
    private Double maxTestAccuracyDrop;

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

    public Double getMaxForgottenClassTestAccuracy() {
        return maxForgottenClassTestAccuracy;
    }

    public void setMaxForgottenClassTestAccuracy(Double maxForgottenClassTestAccuracy) {
        this.maxForgottenClassTestAccuracy = maxForgottenClassTestAccuracy;
    }

    public Double getMaxBackdoorAsrExcess() {
        return maxBackdoorAsrExcess;
    }

    public void setMaxBackdoorAsrExcess(Double maxBackdoorAsrExcess) {
        this.maxBackdoorAsrExcess = maxBackdoorAsrExcess;
    }

    public GateDefaults getDefaults() {
        return defaults;
    }

    public void setDefaults(GateDefaults defaults) {
        this.defaults = defaults;
    }

    public Double getMaxForgetAccuracyGap() {
        return maxForgetAccuracyGap;
    }

    public void setMaxForgetAccuracyGap(Double maxForgetAccuracyGap) {
        this.maxForgetAccuracyGap = maxForgetAccuracyGap;
    }

    public Double getMaxMiaAdvantage() {
        return maxMiaAdvantage;
    }

    public void setMaxMiaAdvantage(Double maxMiaAdvantage) {
        this.maxMiaAdvantage = maxMiaAdvantage;
    }

    public Double getMaxTestAccuracyDrop() {
        return maxTestAccuracyDrop;
    }

    public void setMaxTestAccuracyDrop(Double maxTestAccuracyDrop) {
        this.maxTestAccuracyDrop = maxTestAccuracyDrop;
    }

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

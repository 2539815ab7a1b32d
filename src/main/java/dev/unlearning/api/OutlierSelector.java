package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Records that an outlier detector finds in the model's training data: the share {@code contamination} of all
 * records that scores highest, each scored among its own class or among all records. Detection is deterministic
 * (same data, same seed, same records), so every pod of a run and the finalizing pod find the same set.
 */
public class OutlierSelector {

    @Required
    @JsonPropertyDescription("IsolationForest or LocalOutlierFactor.")
    private OutlierDetectorType detector;

    @Required
    @ValidationRule(value = "self > 0.0 && self <= 0.5", message = "contamination must be in (0, 0.5]: a detector "
            + "that flags half the data or more is not finding outliers")
    @JsonPropertyDescription("The share of the training records to forget, in (0, 0.5]: the ceil(contamination × n) "
            + "with the highest outlier scores.")
    private Double contamination;

    @Default("true")
    @JsonPropertyDescription("Score each record among its own class (a mislabelled record stands out among the class "
            + "it was given); false: among all records. The share is taken over all records either way.")
    private boolean perClass = true;

    @Default("features")
    @JsonPropertyDescription("What records are measured in: features (their own inputs).")
    private OutlierSpace space = OutlierSpace.FEATURES;

    public OutlierDetectorType getDetector() {
        return detector;
    }

    public void setDetector(OutlierDetectorType detector) {
        this.detector = detector;
    }

    public Double getContamination() {
        return contamination;
    }

    public void setContamination(Double contamination) {
        this.contamination = contamination;
    }

    public boolean isPerClass() {
        return perClass;
    }

    public void setPerClass(boolean perClass) {
        this.perClass = perClass;
    }

    public OutlierSpace getSpace() {
        return space;
    }

    public void setSpace(OutlierSpace space) {
        this.space = space;
    }
}

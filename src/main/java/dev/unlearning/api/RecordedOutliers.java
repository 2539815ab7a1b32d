package dev.unlearning.api;

import java.util.Objects;

/**
 * A {@code forget.outliers} selector as a dataset ledger keeps it: the same fields without the CRD rules, which
 * the request's own schema already enforced (a ledger of many entries must stay within the validation cost
 * budget). Later trainings on the dataset run the same detection and leave out what it finds.
 */
public class RecordedOutliers {

    private OutlierDetectorType detector;
    private Double contamination;
    private Boolean perClass;
    private OutlierSpace space;

    public static RecordedOutliers of(OutlierSelector selector) {
        RecordedOutliers recorded = new RecordedOutliers();
        recorded.detector = selector.getDetector();
        recorded.contamination = selector.getContamination();
        recorded.perClass = selector.isPerClass();
        recorded.space = selector.getSpace();
        return recorded;
    }

    public OutlierSelector selector() {
        OutlierSelector selector = new OutlierSelector();
        selector.setDetector(detector);
        selector.setContamination(contamination);
        selector.setPerClass(perClass == null || perClass);
        selector.setSpace(space == null ? OutlierSpace.FEATURES : space);
        return selector;
    }

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

    public Boolean getPerClass() {
        return perClass;
    }

    public void setPerClass(Boolean perClass) {
        this.perClass = perClass;
    }

    public OutlierSpace getSpace() {
        return space;
    }

    public void setSpace(OutlierSpace space) {
        this.space = space;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedOutliers o && Objects.equals(detector, o.detector)
                && Objects.equals(contamination, o.contamination) && Objects.equals(perClass, o.perClass)
                && Objects.equals(space, o.space);
    }

    @Override
    public int hashCode() {
        return Objects.hash(detector, contamination, perClass, space);
    }
}

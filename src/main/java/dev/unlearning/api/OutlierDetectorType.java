package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The detectors a {@code forget.outliers} selector can run (engine.outliers; docs/outlier-detectors.md). */
public enum OutlierDetectorType {
    /** Liu, Ting and Zhou's isolation forest: 100 trees of 256 records, with a fixed seed. */
    @JsonProperty("IsolationForest")
    ISOLATION_FOREST,
    /** Breunig et al.'s local outlier factor, exact, k = 20 (quadratic in the records it scores). */
    @JsonProperty("LocalOutlierFactor")
    LOCAL_OUTLIER_FACTOR
}

package dev.unlearning.api.worker;

import java.util.Map;

/**
 * Result of {@code detect}: what a {@code forget.outliers} selector finds, for a dry run. Counts and digests only
 * (the result travels through pod status); the keyed digests of the records found are in the report.
 *
 * @param found records the detector selected
 * @param perClass of those, how many per label (label as a decimal string)
 * @param report the key in the model's store of the report (selector, data digest, keyed record digests)
 * @param reportDigest SHA-256 of the report's bytes, so a report changed after the run is caught
 * @param dataDigest the digest of the training data the detector ran on
 */
public record DetectionResult(int found, Map<String, Integer> perClass, String report, String reportDigest,
        String dataDigest) implements WorkerResult {
}

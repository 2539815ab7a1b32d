package dev.unlearning.api.worker;

/** Result of {@code purge}: how many keys of the model's store were deleted; certificates are kept. */
public record PurgeResult(String model, int deletedKeys, int keptCertificates) implements WorkerResult {
}

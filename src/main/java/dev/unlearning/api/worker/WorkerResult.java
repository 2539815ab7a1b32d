package dev.unlearning.api.worker;

/** A role's result: written by the worker as its termination message, read by the operator. */
public sealed interface WorkerResult
        permits TrainingResult, UnlearnResult, UnlearnShardResult, FinalizeResult, ErasureResult, PurgeResult,
        DetectionResult {
}

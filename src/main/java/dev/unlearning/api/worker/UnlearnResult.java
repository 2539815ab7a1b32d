package dev.unlearning.api.worker;

import dev.unlearning.api.UnlearningMethod;
import java.util.List;

/** Result of {@code unlearn} run outside a Job: it forgets and publishes in one process. */
public record UnlearnResult(String model, int versionBefore, int versionAfter, UnlearningMethod method, int forgotten,
        List<String> unknown, List<Integer> affectedShards, List<Integer> retrainedFromSlice, long samplesProcessed,
        double wallSeconds, String digestBefore, String digestAfter) implements WorkerResult {
}

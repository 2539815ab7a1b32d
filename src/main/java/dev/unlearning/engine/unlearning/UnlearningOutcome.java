package dev.unlearning.engine.unlearning;

import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.worker.UnlearnResult;
import dev.unlearning.store.VersionManifest;
import java.util.List;

/**
 * What an unlearning run did.
 *
 * @param affectedShards shards whose model changed
 * @param retrainedFromSlice per affected shard, the slice exact retraining restarted at (-1 for approximate)
 * @param samplesProcessed records passed through a network in training mode, summed over shards
 */
public record UnlearningOutcome(VersionManifest before, VersionManifest after, ForgetSet forget,
        List<Integer> affectedShards, List<Integer> retrainedFromSlice, long samplesProcessed, double wallSeconds) {

    /** What the {@code unlearn} role reports for a run it published with {@code method}. */
    public UnlearnResult result(UnlearningMethod method) {
        return new UnlearnResult(after.model(), before.version(), after.version(), method,
                forget.recordIds().size(), forget.unknown(), affectedShards, retrainedFromSlice, samplesProcessed,
                wallSeconds, before.ensembleDigest(), after.ensembleDigest());
    }
}

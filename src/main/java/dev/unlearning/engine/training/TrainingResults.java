package dev.unlearning.engine.training;

import dev.unlearning.api.worker.ShardSummary;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.util.List;

/** What the {@code train} and {@code publish} roles report, from what {@link ModelTraining} returned. */
public final class TrainingResults {

    private TrainingResults() {
    }

    /** A published version; {@code run} is the training run it was assembled from, or null. */
    public static TrainingResult published(VersionManifest version, String run, double wallSeconds) {
        return new TrainingResult(version.model(), version.version(), run,
                version.shards().stream().map(TrainingResults::summary).toList(), wallSeconds,
                version.ensembleDigest(), version.layout().dataDigest());
    }

    /** One shard staged under a training run: no version yet. */
    public static TrainingResult staged(String model, String run, ShardEntry shard, double wallSeconds) {
        return new TrainingResult(model, null, run, List.of(summary(shard)), wallSeconds, null, null);
    }

    public static ShardSummary summary(ShardEntry e) {
        return new ShardSummary(e.shard(), e.records(), e.samplesProcessed(), e.trainLoss(), e.testAccuracy(),
                e.modelDigest());
    }
}

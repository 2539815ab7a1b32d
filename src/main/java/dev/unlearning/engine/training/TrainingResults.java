package dev.unlearning.engine.training;

import dev.unlearning.api.worker.ShardSummary;
import dev.unlearning.api.worker.TrainingResult;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the {@code train} and {@code publish} roles report, from what {@link ModelTraining} returned. */
public final class TrainingResults {

    private TrainingResults() {
    }

    /** A published version; {@code run} is the training run it was assembled from, or null. */
    public static TrainingResult published(VersionManifest version, String run, double wallSeconds) {
        return new TrainingResult(version.model(), version.version(), run,
                version.shards().stream().map(TrainingResults::summary).toList(), wallSeconds,
                version.ensembleDigest(), version.layout().dataDigest(), version.layout().effectivePlacement(),
                spreadSubjects(version.layout().spreadSubjects()));
    }

    /** One shard staged under a training run: no version yet. */
    public static TrainingResult staged(String model, String run, ShardEntry shard, double wallSeconds) {
        return new TrainingResult(model, null, run, List.of(summary(shard)), wallSeconds, null, null, null, null);
    }

    /** Oversized subjects by digest prefix, sorted, so the operator can plan a subject onto every shard it spans. */
    static Map<String, Integer> spreadSubjects(Map<String, Integer> byDigest) {
        Map<String, Integer> out = new TreeMap<>();
        if (byDigest != null) {
            byDigest.forEach((digest, span) -> out.merge(digest.substring(0, TrainingResult.SUBJECT_PREFIX), span,
                    Math::max));
        }
        return out;
    }

    public static ShardSummary summary(ShardEntry e) {
        return new ShardSummary(e.shard(), e.records(), e.samplesProcessed(), e.trainLoss(), e.testAccuracy(),
                e.modelDigest());
    }
}

package dev.unlearning.api.worker;

import java.util.List;

/**
 * Result of {@code train} and {@code publish}. A shard pod of an Indexed Job reports its one shard and no
 * version; {@code publish} (and {@code train} without a shard) reports the version it published.
 */
public record TrainingResult(String model, Integer version, String run, List<ShardSummary> shards,
        double wallSeconds, String ensembleDigest, String dataDigest) implements WorkerResult {
}

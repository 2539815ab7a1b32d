package dev.unlearning.api.worker;

import dev.unlearning.api.ShardPlacement;
import java.util.List;
import java.util.Map;

/**
 * Result of {@code train} and {@code publish}. A shard pod of an Indexed Job reports its one shard and no
 * version; {@code publish} (and {@code train} without a shard) reports the version it published.
 */
public record TrainingResult(String model, Integer version, String run, List<ShardSummary> shards,
        double wallSeconds, String ensembleDigest, String dataDigest, ShardPlacement placement,
        Map<String, Integer> spreadSubjects) implements WorkerResult {

    /**
     * How many hex characters of a subject's keyed digest name it in {@code spreadSubjects}: 64 bits. A prefix
     * another subject happens to share only plans that subject onto more shards than it needs, never fewer.
     */
    public static final int SUBJECT_PREFIX = 16;
}

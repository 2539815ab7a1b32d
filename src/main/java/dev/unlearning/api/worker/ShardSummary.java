package dev.unlearning.api.worker;

/** One trained shard, as a training or publish result reports it. */
public record ShardSummary(int shard, int records, long samples, double trainLoss, Double testAccuracy,
        String modelDigest) {
}

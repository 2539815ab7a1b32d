package dev.unlearning.store;

import java.util.List;

/**
 * A shard in a model version. {@code modelDigest} is what serving loads; after exact training it is the last
 * slice checkpoint. {@code exact} is false once an approximate method changed the model without retraining:
 * its checkpoints then still hold records that the tombstone set says are forgotten, and the next exact
 * request on this shard must restart from the last checkpoint that holds none of them.
 *
 * @param trainedInVersion the version in which this shard was last (re)trained or altered
 * @param testAccuracy this shard alone on the held-out test set, when one was available
 */
public record ShardEntry(int shard, int records, List<SliceEntry> slices, String modelDigest, boolean exact,
        String method, int trainedInVersion, long samplesProcessed, double trainLoss, Double testAccuracy) {

    public ShardEntry withTestAccuracy(Double accuracy) {
        return new ShardEntry(shard, records, slices, modelDigest, exact, method, trainedInVersion, samplesProcessed,
                trainLoss, accuracy);
    }
}

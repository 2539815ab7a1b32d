package dev.unlearning.store;

/**
 * One slice of a shard: the blob listing the record ids first added in this slice, and the checkpoint taken
 * after training on slices 0..slice. {@code records} counts the slice's own records.
 */
public record SliceEntry(int slice, int records, String membershipDigest, String checkpointDigest) {
}

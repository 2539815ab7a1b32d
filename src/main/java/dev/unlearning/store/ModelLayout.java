package dev.unlearning.store;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a version's shards are and how they combine, copied from the spec that trained them.
 *
 * @param dataDigest digest of the training data the version was trained on (null in versions older than the
 *        field); not part of equality, which is about what checkpoints fit
 */
public record ModelLayout(ArchitectureSpec architecture, long[] inputShape, int classes, int shards, int slices,
        long seed, Aggregation aggregation, String dataDigest) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelLayout o && Objects.equals(architecture, o.architecture)
                && Arrays.equals(inputShape, o.inputShape) && classes == o.classes && shards == o.shards
                && slices == o.slices && seed == o.seed && aggregation == o.aggregation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, Arrays.hashCode(inputShape), classes, shards, slices,
                seed, aggregation);
    }

    @Override
    public String toString() {
        return "ModelLayout[" + architecture + ", input " + Arrays.toString(inputShape) + ", " + classes
                + " classes, " + shards + "x" + slices + ", seed " + seed + ", " + aggregation + ", data "
                + (dataDigest == null ? "unknown" : dataDigest.substring(0, Math.min(12, dataDigest.length()))) + "]";
    }
}

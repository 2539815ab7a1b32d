package dev.unlearning.store;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureSpec;

/** What a version's shards are and how they combine, copied from the spec that trained them. */
public record ModelLayout(ArchitectureSpec architecture, long[] inputShape, int classes, int shards, int slices,
        long seed, Aggregation aggregation) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelLayout o && java.util.Objects.equals(architecture, o.architecture)
                && java.util.Arrays.equals(inputShape, o.inputShape) && classes == o.classes && shards == o.shards
                && slices == o.slices && seed == o.seed && aggregation == o.aggregation;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(architecture, java.util.Arrays.hashCode(inputShape), classes, shards, slices,
                seed, aggregation);
    }

    @Override
    public String toString() {
        return "ModelLayout[" + architecture + ", input " + java.util.Arrays.toString(inputShape) + ", " + classes
                + " classes, " + shards + "x" + slices + ", seed " + seed + ", " + aggregation + "]";
    }
}

package dev.unlearning.store;

import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ShardPlacement;
import java.util.Map;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a version's shards are and how they combine, copied from the spec that trained them.
 *
 * @param dataDigest digest of the training data the version was trained on (null in versions older than the
 *        field); not part of equality, which is about what checkpoints fit
 * @param placement what decided each record's shard (null in versions older than the field: by record)
 * @param spreadSubjects subjects too large for one shard, by keyed digest, and how many consecutive shards each
 *        spans; fixed at training, like the rest of the layout (null: none)
 */
public record ModelLayout(ArchitectureSpec architecture, long[] inputShape, int classes, int shards, int slices,
        long seed, Aggregation aggregation, String dataDigest, ShardPlacement placement,
        Map<String, Integer> spreadSubjects) {

    /** The placement, reading a layout from before the field as what it was: by record. */
    public ShardPlacement effectivePlacement() {
        return placement == null ? ShardPlacement.BY_RECORD : placement;
    }

    private Map<String, Integer> spread() {
        return spreadSubjects == null ? Map.of() : spreadSubjects;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelLayout o && Objects.equals(architecture, o.architecture)
                && Arrays.equals(inputShape, o.inputShape) && classes == o.classes && shards == o.shards
                && slices == o.slices && seed == o.seed && aggregation == o.aggregation
                && effectivePlacement() == o.effectivePlacement() && spread().equals(o.spread());
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, Arrays.hashCode(inputShape), classes, shards, slices,
                seed, aggregation, effectivePlacement(), spread());
    }

    @Override
    public String toString() {
        return "ModelLayout[" + architecture + ", input " + Arrays.toString(inputShape) + ", " + classes
                + " classes, " + shards + "x" + slices + ", seed " + seed + ", " + aggregation + ", " + effectivePlacement()
                + (spread().isEmpty() ? "" : " (" + spread().size() + " subjects spread)") + ", data "
                + (dataDigest == null ? "unknown" : dataDigest.substring(0, Math.min(12, dataDigest.length()))) + "]";
    }
}

package dev.unlearning.engine.sharding;

import dev.unlearning.engine.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The rows of every shard and slice of a dataset, tombstoned records left out. Rows within a slice keep
 * dataset order so the layout, like the placement, is reproducible.
 */
public final class ShardLayout {

    private final int[][][] rows; // [shard][slice] -> dataset rows

    private ShardLayout(int[][][] rows) {
        this.rows = rows;
    }

    public static ShardLayout of(Dataset dataset, long seed, int shards, int slices, Set<String> tombstones) {
        return of(dataset, PlacementRule.byRecord(seed, shards, slices), tombstones);
    }

    public static ShardLayout of(Dataset dataset, PlacementRule rule, Set<String> tombstones) {
        int shards = rule.shards();
        int slices = rule.slices();
        List<List<List<Integer>>> buckets = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            List<List<Integer>> shard = new ArrayList<>();
            for (int r = 0; r < slices; r++) {
                shard.add(new ArrayList<>());
            }
            buckets.add(shard);
        }
        for (int row = 0; row < dataset.size(); row++) {
            String id = dataset.id(row);
            if (tombstones.contains(id)) {
                continue;
            }
            Placement p = rule.place(id, dataset.subject(row));
            buckets.get(p.shard()).get(p.slice()).add(row);
        }
        int[][][] rows = new int[shards][slices][];
        for (int s = 0; s < shards; s++) {
            for (int r = 0; r < slices; r++) {
                rows[s][r] = buckets.get(s).get(r).stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return new ShardLayout(rows);
    }

    public int shards() {
        return rows.length;
    }

    public int slices() {
        return rows[0].length;
    }

    public int[] slice(int shard, int slice) {
        return rows[shard][slice];
    }

    /** Rows of slices 0..slice of a shard: SISA trains slice r on the union of the first r+1 slices. */
    public int[] upTo(int shard, int slice) {
        return Arrays.stream(rows[shard], 0, slice + 1).flatMapToInt(Arrays::stream).toArray();
    }

    public int shardSize(int shard) {
        return Arrays.stream(rows[shard]).mapToInt(a -> a.length).sum();
    }
}

package dev.unlearning.engine.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlacementTest {

    @Test
    void isAPureFunctionOfIdSeedAndLayout() {
        assertThat(Placement.of("train-42", 7, 16, 8)).isEqualTo(Placement.of("train-42", 7, 16, 8));
        assertThat(Placement.of("train-42", 7, 16, 8)).isNotEqualTo(Placement.of("train-42", 8, 16, 8));
    }

    @Test
    void isStableAcrossReleases() {
        // Pinned: changing the hash would move records between shards of every model already trained.
        assertThat(Placement.of("train-1", 42, 4, 4)).isEqualTo(new Placement(0, 2));
        assertThat(Placement.of("train-2", 42, 4, 4)).isEqualTo(new Placement(1, 2));
        assertThat(Placement.of("train-3", 42, 4, 4)).isEqualTo(new Placement(3, 2));
    }

    @Test
    void spreadsRecordsEvenlyOverShardsAndSlices() {
        int shards = 8;
        int slices = 4;
        int n = 40_000;
        int[][] counts = new int[shards][slices];
        for (int i = 0; i < n; i++) {
            Placement p = Placement.of("train-" + i, 1, shards, slices);
            counts[p.shard()][p.slice()]++;
        }
        double expected = (double) n / (shards * slices);
        for (int[] shard : counts) {
            for (int count : shard) {
                // 5 standard deviations of a binomial count: fails only if the hash is biased.
                assertThat(Math.abs(count - expected)).isLessThan(5 * Math.sqrt(expected));
            }
        }
    }
}

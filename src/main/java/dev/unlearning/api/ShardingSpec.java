package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** SISA layout: S disjoint shards, each trained over R slices with a checkpoint after every slice. */
public class ShardingSpec {

    @Min(1)
    @Max(256)
    @Default("4")
    @JsonPropertyDescription("Number of isolated shards (S). More shards make forgetting cheaper and cost accuracy.")
    private int shards = 4;

    @Min(1)
    @Max(64)
    @Default("4")
    @JsonPropertyDescription("Slices per shard (R); a checkpoint is kept after each slice.")
    private int slices = 4;

    @Default("MeanSoftmax")
    @JsonPropertyDescription("How shard outputs are combined: MeanSoftmax or MajorityVote.")
    private Aggregation aggregation = Aggregation.MEAN_SOFTMAX;

    public int getShards() {
        return shards;
    }

    public void setShards(int shards) {
        this.shards = shards;
    }

    public int getSlices() {
        return slices;
    }

    public void setSlices(int slices) {
        this.slices = slices;
    }

    public Aggregation getAggregation() {
        return aggregation;
    }

    public void setAggregation(Aggregation aggregation) {
        this.aggregation = aggregation;
    }
}

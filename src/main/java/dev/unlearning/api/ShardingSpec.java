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
    @JsonPropertyDescription("How shard outputs are combined: MeanSoftmax or MajorityVote; for transformer-lm MeanSoftmax "
            + "(the mean next-token distribution) or Posterior (weighted by the likelihood each shard gives the text so far).")
    private Aggregation aggregation = Aggregation.MEAN_SOFTMAX;

    @Default("Auto")
    @JsonPropertyDescription("What decides a record's shard: BySubject keeps each data subject's records in one slice "
            + "of one shard (a subject larger than twice the mean shard size spreads over as many consecutive shards "
            + "as it needs), so forgetting a person retrains one shard from one slice on; ByRecord hashes the record "
            + "id; Auto is BySubject when the "
            + "dataset declares subjects (subjectMapUri, csv or jsonl). Changing it needs a new training.")
    private ShardPlacement placement = ShardPlacement.AUTO;

    public ShardPlacement getPlacement() {
        return placement;
    }

    public void setPlacement(ShardPlacement placement) {
        this.placement = placement;
    }

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

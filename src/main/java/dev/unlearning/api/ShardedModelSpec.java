package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What to train: the data, the network, how it is split into shards, and how each shard is trained. */
public class ShardedModelSpec {

    @Required
    @JsonPropertyDescription("Where the training data lives and how it is encoded.")
    private DatasetSpec dataset;

    @JsonPropertyDescription("The network each shard trains.")
    private ArchitectureSpec architecture = new ArchitectureSpec();

    @JsonPropertyDescription("How records are split into shards and slices, and how shard outputs are combined.")
    private ShardingSpec sharding = new ShardingSpec();

    @JsonPropertyDescription("Optimisation settings shared by every shard.")
    private TrainingSpec training = new TrainingSpec();

    @Required
    @JsonPropertyDescription("The artifact store for versions, checkpoints and certificates.")
    private StorageSpec storage;

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public DatasetSpec getDataset() {
        return dataset;
    }

    public void setDataset(DatasetSpec dataset) {
        this.dataset = dataset;
    }

    public ArchitectureSpec getArchitecture() {
        return architecture;
    }

    public void setArchitecture(ArchitectureSpec architecture) {
        this.architecture = architecture;
    }

    public ShardingSpec getSharding() {
        return sharding;
    }

    public void setSharding(ShardingSpec sharding) {
        this.sharding = sharding;
    }

    public TrainingSpec getTraining() {
        return training;
    }

    public void setTraining(TrainingSpec training) {
        this.training = training;
    }
}

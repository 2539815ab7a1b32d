package dev.unlearning.bench;

import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.StorageSpec;
import java.util.List;

/** The model every benchmark uses: MLP 784-256-128-10, batch 64, seed 42; the store is chosen per run. */
final class BenchSpecs {

    private BenchSpecs() {
    }

    static ShardedModelSpec mlp(int shards, int slices, int epochs) {
        ShardedModelSpec spec = new ShardedModelSpec();
        StorageSpec storage = new StorageSpec();
        storage.setUri("file:///unused");
        spec.setStorage(storage);
        ArchitectureSpec architecture = new ArchitectureSpec();
        architecture.setHidden(List.of(256, 128));
        spec.setArchitecture(architecture);
        spec.getSharding().setShards(shards);
        spec.getSharding().setSlices(slices);
        spec.getTraining().setEpochs(epochs);
        spec.getTraining().setBatchSize(64);
        spec.getTraining().setSeed(42);
        return spec;
    }
}

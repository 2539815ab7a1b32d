package dev.unlearning.engine;

import dev.unlearning.store.IdDigestKey;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.StorageSpec;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.data.Splits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Real Fashion-MNIST subsets and small model specs, so engine tests run in seconds. */
public final class EngineFixtures {

    /** The id-digest key engine tests' repositories hold, as a namespace's worker pods do. */
    public static final IdDigestKey ID_KEY = new IdDigestKey(
            "engine-test-id-digest-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static Splits full;

    private EngineFixtures() {
    }

    /** The first {@code train} training and {@code test} test records of Fashion-MNIST. */
    public static synchronized Splits fashion(int train, int test) {
        if (full == null) {
            TorchRuntime.engine(1);
            try {
                full = IdxDatasetReader.read(FashionMnist.defaultDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return full.head(train, test);
    }

    public static ShardedModelSpec spec(int shards, int slices, int epochs, Path store) {
        ShardedModelSpec spec = new ShardedModelSpec();
        DatasetSpec dataset = new DatasetSpec();
        dataset.setUri("file://" + FashionMnist.defaultDir());
        spec.setDataset(dataset);
        StorageSpec storage = new StorageSpec();
        storage.setUri("file://" + store);
        spec.setStorage(storage);
        ArchitectureSpec architecture = new ArchitectureSpec();
        architecture.setHidden(List.of(64));
        spec.setArchitecture(architecture);
        spec.getSharding().setShards(shards);
        spec.getSharding().setSlices(slices);
        spec.getTraining().setEpochs(epochs);
        spec.getTraining().setSeed(7);
        return spec;
    }

    public static ForgetSelector records(List<String> ids) {
        ForgetSelector selector = new ForgetSelector();
        selector.setRecordIds(ids);
        return selector;
    }

    public static ForgetSelector labels(List<Integer> labels) {
        ForgetSelector selector = new ForgetSelector();
        selector.setLabels(labels);
        return selector;
    }
}

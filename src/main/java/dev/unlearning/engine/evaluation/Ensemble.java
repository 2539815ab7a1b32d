package dev.unlearning.engine.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unlearning.api.Aggregation;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Architectures;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The shard networks of one model version, answering as one model. */
public final class Ensemble implements AutoCloseable {

    /** Evaluation works in chunks: one 10k-image batch through a CNN peaked at 2.4 GB. */
    private static final int CHUNK = 1000;

    private final List<Network> shards;
    private final Aggregation aggregation;
    private final int classes;

    public Ensemble(List<Network> shards, Aggregation aggregation, int classes) {
        this.shards = List.copyOf(shards);
        this.aggregation = aggregation;
        this.classes = classes;
    }

    public static Ensemble load(ModelRepository repo, VersionManifest version)
            throws IOException, ModelState.CorruptModelException {
        List<Network> networks = new ArrayList<>();
        try {
            for (ShardEntry shard : version.shards()) {
                networks.add(Network.fromState(version.layout().architecture(), version.layout().inputShape(),
                        version.layout().classes(), repo.blob(shard.modelDigest())));
            }
        } catch (IOException | ModelState.CorruptModelException | RuntimeException e) {
            networks.forEach(Network::close);
            throw e;
        }
        return new Ensemble(networks, version.layout().aggregation(), version.layout().classes());
    }

    public int classes() {
        return classes;
    }

    /** Class probabilities per row: the mean of shard softmaxes, or the share of shard votes. */
    public float[][] probabilities(Dataset data, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int from = 0; from < rows.length; from += CHUNK) {
            int to = Math.min(rows.length, from + CHUNK);
            try (NDManager scope = NDManager.newBaseManager()) {
                float[] flat = combine(Batches.features(scope, data, rows, from, to));
                for (int i = 0; i < to - from; i++) {
                    out[from + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return out;
    }

    /** Probabilities for {@code records} inputs laid out row-major in {@code flat}, as a flat array too. */
    public float[] probabilities(float[] flat, long[] inputShape, int records) {
        float[] out = new float[records * classes];
        int dim = flat.length / records;
        for (int from = 0; from < records; from += CHUNK) {
            int to = Math.min(records, from + CHUNK);
            try (NDManager scope = NDManager.newBaseManager()) {
                float[] chunk = Arrays.copyOfRange(flat, from * dim, to * dim);
                NDArray x = scope.create(chunk, Architectures.batchShape(to - from, inputShape));
                System.arraycopy(combine(x), 0, out, from * classes, (to - from) * classes);
            }
        }
        return out;
    }

    private float[] combine(NDArray x) {
        NDArray sum = null;
        for (Network shard : shards) {
            NDArray p = shard.logits(x).softmax(1);
            if (aggregation == Aggregation.MAJORITY_VOTE) {
                p = p.argMax(1).oneHot(classes).toType(DataType.FLOAT32, false);
            }
            sum = sum == null ? p : sum.add(p);
        }
        return sum.div(shards.size()).toFloatArray();
    }

    @Override
    public void close() {
        shards.forEach(Network::close);
    }
}

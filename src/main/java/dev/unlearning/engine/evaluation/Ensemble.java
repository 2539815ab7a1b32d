package dev.unlearning.engine.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unlearning.api.Aggregation;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.knn.KnnIndex;
import dev.unlearning.engine.model.Architectures;
import dev.unlearning.engine.model.FusedEnsemble;
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
import java.util.function.Function;

/**
 * The shards of one model version, answering as one model. Serving and evaluation run network shards as one
 * fused computation ({@link FusedEnsemble}); the shard-by-shard path stays as the reference the fused one is
 * tested and benchmarked against. A knn model's shards are indexes ({@link KnnIndex}), each asked in turn.
 */
public final class Ensemble implements AutoCloseable {

    /** Evaluation works in chunks: one 10k-image batch through a CNN peaked at 2.4 GB. */
    private static final int CHUNK = 1000;

    /** Each shard's class probabilities for a batch, (records, classes). */
    private final List<Function<NDArray, NDArray>> perShard;
    /** Null for knn shards, which have no weights to fuse. */
    private final FusedEnsemble fused;
    private final Runnable closeShards;
    private final Aggregation aggregation;
    private final int classes;
    /** The shards' weights digests, in shard order; null when the shards were not loaded from a store. */
    private final List<String> digests;
    /** Where shards share the rows they scored with other ensembles of this process; null: no sharing. */
    private final ShardScores shared;

    public Ensemble(List<Network> shards, Aggregation aggregation, int classes, long[] inputShape) {
        this(shards, aggregation, classes, inputShape, null, null);
    }

    private Ensemble(List<Network> shards, Aggregation aggregation, int classes, long[] inputShape,
            List<String> digests, ShardScores shared) {
        this(shards.stream().<Function<NDArray, NDArray>>map(n -> x -> n.logits(x).softmax(1)).toList(),
                FusedEnsemble.of(List.copyOf(shards), inputShape), () -> shards.forEach(Network::close), aggregation,
                classes, digests, shared);
    }

    private Ensemble(List<Function<NDArray, NDArray>> perShard, FusedEnsemble fused, Runnable closeShards,
            Aggregation aggregation, int classes, List<String> digests, ShardScores shared) {
        this.perShard = perShard;
        this.fused = fused;
        this.closeShards = closeShards;
        this.aggregation = aggregation;
        this.classes = classes;
        this.digests = digests;
        this.shared = shared;
    }

    public static Ensemble load(ModelRepository repo, VersionManifest version)
            throws IOException, ModelState.CorruptModelException {
        return load(repo, version, null);
    }

    /**
     * As {@link #load(ModelRepository, VersionManifest)}; the shards score dataset rows through {@code shared}, so a
     * shard that another ensemble of this process already ran on a row (same weights digest) is not run again.
     */
    public static Ensemble load(ModelRepository repo, VersionManifest version, ShardScores shared)
            throws IOException, ModelState.CorruptModelException {
        List<String> digests = version.shards().stream().map(ShardEntry::modelDigest).toList();
        if (version.layout().architecture().getType() == ArchitectureType.KNN) {
            return loadIndexes(repo, version, digests, shared);
        }
        List<Network> networks = new ArrayList<>();
        try {
            for (ShardEntry shard : version.shards()) {
                networks.add(Network.fromState(version.layout().architecture(), version.layout().inputShape(),
                        version.layout().classes(), repo.blob(shard.modelDigest())));
            }
            return new Ensemble(networks, version.layout().aggregation(), version.layout().classes(),
                    version.layout().inputShape(), digests, shared);
        } catch (IOException | ModelState.CorruptModelException | RuntimeException e) {
            networks.forEach(Network::close);
            throw e;
        }
    }

    private static Ensemble loadIndexes(ModelRepository repo, VersionManifest version, List<String> digests,
            ShardScores shared) throws IOException, ModelState.CorruptModelException {
        List<KnnIndex> indexes = new ArrayList<>();
        try {
            for (ShardEntry shard : version.shards()) {
                indexes.add(KnnIndex.fromState(repo.blob(shard.modelDigest())));
            }
            int k = version.layout().architecture().effectiveNeighbours();
            return new Ensemble(indexes.stream().<Function<NDArray, NDArray>>map(i -> x -> i.probabilities(x, k))
                    .toList(), null, () -> indexes.forEach(KnnIndex::close), version.layout().aggregation(),
                    version.layout().classes(), digests, shared);
        } catch (IOException | ModelState.CorruptModelException | RuntimeException e) {
            indexes.forEach(KnnIndex::close);
            throw e;
        }
    }

    public int classes() {
        return classes;
    }

    private int recordsPerChunk() {
        return fused == null ? KnnIndex.QUERY_CHUNK : fused.recordsPerChunk();
    }

    private float[] combine(NDArray x) {
        return fused == null ? combinePerShard(x) : combineFused(x);
    }

    /** Class probabilities per row: the mean of shard softmaxes, or the share of shard votes. */
    public float[][] probabilities(Dataset data, int[] rows) {
        if (shared != null) {
            return sharedProbabilities(data, rows);
        }
        float[][] out = new float[rows.length][];
        int chunk = recordsPerChunk();
        for (int from = 0; from < rows.length; from += chunk) {
            int to = Math.min(rows.length, from + chunk);
            try (NDManager scope = NDManager.newBaseManager()) {
                float[] flat = combine(Batches.features(scope, data, rows, from, to));
                for (int i = 0; i < to - from; i++) {
                    out[from + i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
            }
        }
        return out;
    }

    /**
     * The same through {@link #shared}: each shard runs only if it has not scored every row yet (all shards at once
     * through the fused computation when none has), and the rows are combined from the shards' own scores.
     */
    private float[][] sharedProbabilities(Dataset data, int[] rows) {
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < digests.size(); k++) {
            String digest = digests.get(k);
            if (Arrays.stream(rows).anyMatch(row -> shared.get(digest, data, row) == null)) {
                missing.add(k);
            }
        }
        boolean everyShard = fused != null && missing.size() == digests.size();
        int chunk = everyShard ? fused.recordsPerChunk() : fused == null ? KnnIndex.QUERY_CHUNK : CHUNK;
        for (int from = 0; !missing.isEmpty() && from < rows.length; from += chunk) {
            int to = Math.min(rows.length, from + chunk);
            try (NDManager scope = NDManager.newBaseManager()) {
                NDArray x = Batches.features(scope, data, rows, from, to);
                if (everyShard) {
                    keep(data, rows, from, to, missing, fused.logits(x).softmax(2).toFloatArray());
                } else {
                    for (int k : missing) {
                        keep(data, rows, from, to, List.of(k), perShard.get(k).apply(x).toFloatArray());
                    }
                }
            }
        }
        float[][] out = new float[rows.length][classes];
        for (int i = 0; i < rows.length; i++) {
            for (String digest : digests) {
                float[] p = shared.get(digest, data, rows[i]);
                if (aggregation == Aggregation.MAJORITY_VOTE) {
                    out[i][argMax(p)] += 1;
                } else {
                    for (int c = 0; c < classes; c++) {
                        out[i][c] += p[c];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                out[i][c] /= digests.size();
            }
        }
        return out;
    }

    /** Records the scores of {@code shards} (laid out shard, record, class) for rows {@code from..to}. */
    private void keep(Dataset data, int[] rows, int from, int to, List<Integer> shards, float[] flat) {
        int records = to - from;
        for (int s = 0; s < shards.size(); s++) {
            String digest = digests.get(shards.get(s));
            for (int i = 0; i < records; i++) {
                int at = (s * records + i) * classes;
                shared.put(digest, data, rows[from + i], Arrays.copyOfRange(flat, at, at + classes));
            }
        }
    }

    /** The first class of highest probability, as PyTorch's argMax picks it. */
    private static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Probabilities for {@code records} inputs laid out row-major in {@code flat}, as a flat array too. */
    public float[] probabilities(float[] flat, long[] inputShape, int records) {
        return probabilities(flat, inputShape, records, recordsPerChunk(), this::combine);
    }

    /** The same, computed shard by shard: the reference the fused path must agree with. */
    public float[] probabilitiesPerShard(float[] flat, long[] inputShape, int records) {
        return probabilities(flat, inputShape, records, CHUNK, this::combinePerShard);
    }

    private float[] probabilities(float[] flat, long[] inputShape, int records, int chunkSize,
            Function<NDArray, float[]> combine) {
        float[] out = new float[records * classes];
        int dim = flat.length / records;
        for (int from = 0; from < records; from += chunkSize) {
            int to = Math.min(records, from + chunkSize);
            try (NDManager scope = NDManager.newBaseManager()) {
                float[] chunk = Arrays.copyOfRange(flat, from * dim, to * dim);
                NDArray x = scope.create(chunk, Architectures.batchShape(to - from, inputShape));
                System.arraycopy(combine.apply(x), 0, out, from * classes, (to - from) * classes);
            }
        }
        return out;
    }

    /** All shards' logits at once, (shards, records, classes), combined over the shard axis. */
    private float[] combineFused(NDArray x) {
        NDArray p = fused.logits(x).softmax(2);
        if (aggregation == Aggregation.MAJORITY_VOTE) {
            p = p.argMax(2).oneHot(classes).toType(DataType.FLOAT32, false);
        }
        return p.mean(new int[] {0}).toFloatArray();
    }

    private float[] combinePerShard(NDArray x) {
        NDArray sum = null;
        for (Function<NDArray, NDArray> shard : perShard) {
            NDArray p = shard.apply(x);
            if (aggregation == Aggregation.MAJORITY_VOTE) {
                p = p.argMax(1).oneHot(classes).toType(DataType.FLOAT32, false);
            }
            sum = sum == null ? p : sum.add(p);
        }
        return sum.div(perShard.size()).toFloatArray();
    }

    @Override
    public void close() {
        if (fused != null) {
            fused.close();
        }
        closeShards.run();
    }
}

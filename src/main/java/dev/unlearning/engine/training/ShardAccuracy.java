package dev.unlearning.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.TextDatasets;
import dev.unlearning.engine.knn.KnnIndex;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import dev.unlearning.engine.lm.TextScores;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.store.ModelLayout;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Test accuracy of one shard's model alone: what status shows per shard, to spot a weak shard. Measured on at
 * most {@value #RECORDS} held-out records, evenly spaced: enough to spot a weak shard (±0.8 points at 85%),
 * and a fifth of what all 10,000 Fashion-MNIST test images cost, which every retrained shard pays; the
 * ensemble's accuracy, which the gate judges, is still measured on the whole test set. A language model's
 * accuracy is its mean next-token accuracy on held-out text ({@link TextScores#tokenAccuracy()}).
 */
public final class ShardAccuracy {

    /** Held-out records a shard is measured on, at most. */
    public static final int RECORDS = 2000;

    private ShardAccuracy() {
    }

    /** The entry with its test accuracy filled in; unchanged when there is no test data. */
    public static ShardEntry measured(ModelRepository repo, ModelLayout layout, ShardEntry entry, Dataset test)
            throws IOException, ModelState.CorruptModelException {
        if (test == null || test.size() == 0) {
            return entry;
        }
        int step = Math.max(1, (test.size() + RECORDS - 1) / RECORDS);
        int[] rows = IntStream.range(0, test.size()).filter(r -> r % step == 0).toArray();
        if (layout.architecture().getType().languageModel()) {
            try (LanguageModel lm = LanguageModel.fromState(LmArchitecture.of(layout.architecture()),
                    repo.blob(entry.modelDigest()))) {
                double[] accuracy = TextScores.of(lm, TextDatasets.sequences(test, rows, 0, rows.length)).tokenAccuracy();
                return entry.withTestAccuracy(Arrays.stream(accuracy).average().orElse(Double.NaN));
            }
        }
        if (layout.architecture().getType() == ArchitectureType.KNN) {
            int k = layout.architecture().effectiveNeighbours();
            try (KnnIndex index = KnnIndex.fromState(repo.blob(entry.modelDigest()));
                    NDManager scope = NDManager.newBaseManager()) {
                return entry.withTestAccuracy(accuracy(scope, test, rows, KnnIndex.QUERY_CHUNK,
                        x -> index.probabilities(x, k)));
            }
        }
        try (Network network = Network.fromState(layout.architecture(), layout.inputShape(), layout.classes(),
                repo.blob(entry.modelDigest()))) {
            return entry.withTestAccuracy(accuracy(network.manager(), test, rows, 1000, network::logits));
        }
    }

    /** The share of {@code rows} whose highest score is their label, scored {@code chunk} records at a time. */
    private static double accuracy(NDManager manager, Dataset test, int[] rows, int chunk,
            Function<NDArray, NDArray> scores) {
        int correct = 0;
        for (int from = 0; from < rows.length; from += chunk) {
            int to = Math.min(rows.length, from + chunk);
            try (NDManager scope = manager.newSubManager()) {
                int[] predicted = scores.apply(Batches.features(scope, test, rows, from, to)).argMax(1)
                        .toType(DataType.INT32, false).toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == test.label(rows[from + i])) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / rows.length;
    }
}

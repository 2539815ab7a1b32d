package dev.unlearning.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.api.TrainingSpec;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.knn.KnnIndex;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.sharding.ShardLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one SISA shard slice by slice, whatever the model family ({@link ShardModel}). Slice step r trains on slices 0..r together and ends with a
 * checkpoint. Following the SISA paper, step r gets 2·epochs/(R+1) passes over its data, so a whole shard
 * costs the same number of samples as plain training for {@code epochs} epochs, while a retrain that starts
 * at slice r pays only for steps r..R-1. Every step starts from the previous checkpoint with a fresh
 * optimiser and a seed derived from (seed, shard, slice): resuming from a checkpoint is therefore the same
 * computation as training straight through on the same data.
 */
public final class ShardTrainer {

    /** The outcome of one slice step. */
    public record SliceResult(int slice, byte[] checkpoint, long samples, double meanLoss) {
    }

    private final ArchitectureSpec architecture;
    private final TrainingSpec training;

    public ShardTrainer(ArchitectureSpec architecture, TrainingSpec training) {
        this.architecture = architecture;
        this.training = training;
    }

    /** Samples slice step {@code slice} processes when slices 0..slice hold {@code rows} records. */
    public long sliceBudget(int rows, int slices) {
        return Math.round(2.0 * training.getEpochs() * rows / (slices + 1));
    }

    /**
     * Trains steps {@code fromSlice..R-1}, starting from {@code resumeState} (the checkpoint after step
     * fromSlice-1) or from the shard's seeded initialisation when fromSlice is 0.
     */
    public List<SliceResult> train(Dataset data, ShardLayout layout, int shard, int fromSlice, byte[] resumeState)
            throws ModelState.CorruptModelException {
        return train(data, layout, shard, fromSlice, resumeState, r -> { });
    }

    /** Called after each slice step, e.g. to persist progress that a retried pod resumes from. */
    @FunctionalInterface
    public interface SliceListener {
        void completed(SliceResult result) throws IOException;
    }

    /** As above, telling {@code listener} about each finished slice step before the next one starts. */
    public List<SliceResult> train(Dataset data, ShardLayout layout, int shard, int fromSlice, byte[] resumeState,
            SliceListener listener) throws ModelState.CorruptModelException {
        if (architecture.getType() == ArchitectureType.KNN) {
            return index(data, layout, shard, fromSlice, listener);
        }
        long seed = training.getSeed();
        List<SliceResult> results = new ArrayList<>();
        try (ShardModel model = ShardModel.create(architecture, data, Seeds.mix(seed, shard))) {
            if (fromSlice > 0) {
                model.load(resumeState);
            }
            for (int slice = fromSlice; slice < layout.slices(); slice++) {
                int[] rows = layout.upTo(shard, slice);
                long budget = sliceBudget(rows.length, layout.slices());
                Random random = new Random(Seeds.mix(seed, shard, slice));
                double[] lossSum = {0};
                long[] batches = {0};
                long served;
                try (Trainer trainer = model.trainer(training.getLearningRate())) {
                    served = SampleLoop.run(rows, budget, training.getBatchSize(), random, (order, from, to) -> {
                        try (NDManager scope = model.manager().newSubManager()) {
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray loss = model.loss(trainer, scope, data, order, from, to);
                                collector.backward(loss);
                                lossSum[0] += loss.getFloat();
                                batches[0]++;
                            }
                            trainer.step();
                        }
                    });
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("training shard " + shard + " slice " + slice + " failed", e);
                }
                SliceResult result = new SliceResult(slice, model.state(), served,
                        batches[0] == 0 ? Double.NaN : lossSum[0] / batches[0]);
                results.add(result);
                try {
                    listener.completed(result);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return results;
    }

    /**
     * A knn shard's slice steps: step r's checkpoint is the index of slices 0..r, built from the records, so a
     * resumed or retrained step needs no earlier state. Its cost is the records it copies.
     */
    private static List<SliceResult> index(Dataset data, ShardLayout layout, int shard, int fromSlice,
            SliceListener listener) {
        List<SliceResult> results = new ArrayList<>();
        for (int slice = fromSlice; slice < layout.slices(); slice++) {
            int[] rows = layout.upTo(shard, slice);
            byte[] index = KnnIndex.of(data, rows, data.classes()).state();
            SliceResult result = new SliceResult(slice, index, rows.length, 0);
            results.add(result);
            try {
                listener.completed(result);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return results;
    }
}

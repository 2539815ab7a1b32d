package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.SampleLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** The training-loop pieces the approximate methods share: optimiser steps, passes, gradient sums, accuracy. */
final class GradientSteps {

    private GradientSteps() {
    }

    /** Per parameter, the sum over batches of {@code perBatch} of the cross-entropy gradient; no step is taken. */
    static List<NDArray> gradientSums(Trainer trainer, Network network, NDManager keep, Dataset data, int[] rows,
            Function<NDArray, NDArray> perBatch, int batchSize) {
        List<NDArray> parameters = network.parameters();
        List<NDArray> sums = new ArrayList<>();
        for (NDArray p : parameters) {
            sums.add(keep.zeros(p.getShape(), p.getDataType()));
        }
        for (int from = 0; from < rows.length; from += batchSize) {
            int to = Math.min(rows.length, from + batchSize);
            try (NDManager batch = network.manager().newSubManager()) {
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray x = Batches.features(batch, data, rows, from, to);
                    NDArray y = Batches.labels(batch, data, rows, from, to);
                    collector.backward(Losses.crossEntropy(trainer.forward(new NDList(x)).singletonOrThrow(), y));
                }
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray gradient = parameters.get(i).getGradient();
                    sums.get(i).addi(perBatch.apply(gradient));
                    // No optimiser step follows, so nothing else clears the accumulated gradient.
                    gradient.subi(gradient);
                }
            }
        }
        return sums;
    }

    /**
     * One optimiser step on the loss a function builds inside a batch-scoped manager. A loss of exactly zero
     * has a zero gradient: SCRUB's first max step, where the student still equals the teacher (KL's minimum).
     * That step is skipped, as SGD would only have applied weight decay, and DJL refuses a first step
     * without gradients.
     */
    static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf) {
        step(trainer, network, lossOf, 0);
    }

    /**
     * {@code clip > 0}: every gradient element is first clipped to [-clip, clip]. Done here rather than by the
     * optimiser because DJL's PyTorch SGD ignores its clipGrad option (a SCRUB max pass reached weights of
     * 47,000 with it set).
     */
    static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf, double clip) {
        step(trainer, network, lossOf, clip, null);
    }

    /** {@code masks} (one per parameter, of 0s and 1s; null: none): only the masked gradient reaches the step. */
    static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf, double clip,
            List<NDArray> masks) {
        boolean flat;
        try (NDManager scope = network.manager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDArray loss = lossOf.apply(scope);
            collector.backward(loss);
            flat = loss.toType(DataType.FLOAT64, false).getDouble() == 0;
            if (clip > 0 && !flat) {
                for (NDArray parameter : network.parameters()) {
                    NDArray gradient = parameter.getGradient();
                    gradient.subi(gradient.sub(gradient.clip(-clip, clip)));
                }
            }
            if (masks != null && !flat) {
                List<NDArray> parameters = network.parameters();
                for (int i = 0; i < parameters.size(); i++) {
                    parameters.get(i).getGradient().muli(masks.get(i));
                }
            }
        }
        if (!flat) {
            trainer.step();
        }
    }

    /** One shuffled pass over {@code rows}; returns the samples served. */
    static long pass(int[] rows, int batchSize, Random random, SampleLoop.BatchStep step) {
        try {
            return SampleLoop.run(rows, rows.length, batchSize, random, step);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long batches(int rows, int batchSize) {
        return (rows + batchSize - 1) / batchSize;
    }

    static int[] sample(int[] rows, int max, Random random) {
        if (rows.length <= max) {
            return rows.clone();
        }
        return Arrays.copyOf(SampleLoop.shuffled(rows, random), max);
    }

    static double accuracy(Network network, Dataset data, int[] rows) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int from = 0; from < rows.length; from += 1000) {
            int to = Math.min(rows.length, from + 1000);
            try (NDManager scope = network.manager().newSubManager()) {
                NDArray x = Batches.features(scope, data, rows, from, to);
                int[] predicted = network.logits(x).argMax(1).toType(DataType.INT32, false).toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == data.label(rows[from + i])) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / rows.length;
    }
}

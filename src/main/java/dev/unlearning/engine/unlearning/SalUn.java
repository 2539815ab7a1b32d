package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Saliency unlearning (SalUn, Fan et al.), random-labelling variant. */
record SalUn(ApproximateSettings settings, long seed) implements ApproximateMethod {

    /**
     * SalUn, random-labelling variant: a weight saliency mask keeps the weights whose forget-loss gradient at
     * the original model is in the top {@code salunSparsity} fraction (one threshold over all weights); then
     * each epoch is one shuffled pass over the retain rows mixed with the forget rows, the latter under labels
     * drawn once, uniformly over the classes, and only the masked weights' gradients reach the optimiser.
     */
    @Override
    public ApproximateUnlearner.Result unlearn(Network student, byte[] modelState, ApproximateUnlearner.Rows rows) {
        Dataset train = rows.train();
        long samples = rows.forget().length;
        Random draw = new Random(Seeds.mix(seed, 23, 0));
        Map<Integer, Integer> randomLabels = new HashMap<>();
        for (int row : rows.forget()) {
            randomLabels.put(row, draw.nextInt(train.classes()));
        }
        int[] mixed = Arrays.copyOf(rows.retain(), rows.retain().length + rows.forget().length);
        System.arraycopy(rows.forget(), 0, mixed, rows.retain().length, rows.forget().length);
        try (NDManager keep = student.manager().newSubManager()) {
            List<NDArray> masks;
            try (Trainer probe = student.sgdTrainer(new ScheduledRate(0), 0, 0)) {
                masks = saliencyMasks(probe, student, keep, train, rows.forget());
            }
            try (Trainer trainer = student.sgdTrainer(new ScheduledRate(settings.salunLearningRate()), settings.momentum(),
                    settings.weightDecay())) {
                for (int epoch = 0; epoch < settings.salunEpochs(); epoch++) {
                    Random random = new Random(Seeds.mix(seed, 29, epoch));
                    samples += GradientSteps.pass(mixed, settings.batchSize(), random, (order, from, to) -> GradientSteps.step(trainer, student,
                            scope -> Losses.crossEntropy(
                                    trainer.forward(new NDList(Batches.features(scope, train, order, from, to))).singletonOrThrow(),
                                    labels(scope, train, order, from, to, randomLabels)),
                            0, masks));
                }
            }
        }
        return new ApproximateUnlearner.Result(student.state(), samples, -1);
    }

    /** 1 where a weight's accumulated forget-loss gradient is among the top salunSparsity fraction by magnitude. */
    private List<NDArray> saliencyMasks(Trainer trainer, Network network, NDManager keep, Dataset data, int[] forget) {
        List<NDArray> sums = GradientSteps.gradientSums(trainer, network, keep, data, forget, gradient -> gradient,
                settings.batchSize());
        List<NDArray> magnitudes = sums.stream().map(NDArray::abs).toList();
        float threshold = topFractionThreshold(magnitudes, settings.salunSparsity());
        List<NDArray> masks = new ArrayList<>();
        for (NDArray magnitude : magnitudes) {
            masks.add(magnitude.gte(threshold).toType(magnitude.getDataType(), false));
        }
        return masks;
    }

    /** The magnitude at or above which {@code fraction} of all elements lie (ties may keep a few more). */
    static float topFractionThreshold(List<NDArray> magnitudes, double fraction) {
        if (fraction <= 0 || fraction > 1) {
            throw new IllegalArgumentException("salunSparsity must be in (0, 1], not " + fraction);
        }
        int total = magnitudes.stream().mapToInt(m -> Math.toIntExact(m.size())).sum();
        float[] all = new float[total];
        int at = 0;
        for (NDArray m : magnitudes) {
            float[] values = m.toFloatArray();
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        Arrays.sort(all);
        int keep = Math.max(1, (int) Math.round(fraction * total));
        return all[total - keep];
    }

    private static NDArray labels(NDManager scope, Dataset data, int[] rows, int from, int to, Map<Integer, Integer> relabelled) {
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            labels[i - from] = relabelled.getOrDefault(rows[i], data.label(rows[i]));
        }
        return scope.create(labels);
    }
}

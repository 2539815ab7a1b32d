package dev.unlearning.engine.lm;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.TextRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The approximate unlearning methods the language-model literature compares (TOFU, Maini et al. 2024; NPO,
 * Zhang et al. 2024), each pairing a forget batch with a retain batch at every step:
 * <ul>
 *   <li>{@link Method#GRADIENT_DIFFERENCE}: ascend the forget texts' next-token loss, descend the retain texts'.
 *   <li>{@link Method#NPO}: negative preference optimisation, {@code (2/β) · softplus(β · (log π(y) − log
 *       π_ref(y)))} over each forget text's summed log-likelihood, against the model as it was before unlearning
 *       (scored once, at the start), plus the retain texts' loss. Unlike plain ascent, its gradient fades as a text
 *       becomes unlikely, which is what keeps it from collapsing the model.
 * </ul>
 */
public final class LmUnlearning {

    public enum Method { GRADIENT_DIFFERENCE, NPO }

    /**
     * @param epochs passes over the forget texts
     * @param batchSize forget texts per step, and as many retain texts
     * @param beta NPO's inverse temperature (ignored by gradient difference)
     * @param retainWeight the retain loss's weight
     */
    public record Settings(Method method, int epochs, int batchSize, double learningRate, double beta,
            double retainWeight) {

        public Settings {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(beta > 0) || retainWeight < 0) {
                throw new IllegalArgumentException("epochs, batch size, learning rate and beta must be positive and "
                        + "the retain weight not negative");
            }
        }

        /**
         * What the LM benchmark ran (10 epochs, batch 4, β 0.1, retain weight 1; learning rate 3e-4 for gradient
         * difference, 3e-3 for NPO, chosen on a separate four-author corpus): the operator's settings.
         */
        public static Settings defaults(Method method) {
            return new Settings(method, 10, 4, method == Method.NPO ? 3e-3 : 3e-4, 0.1, 1.0);
        }

        /** The same settings with no retain term, for a forget set that is all its shard holds. */
        public Settings withoutRetain() {
            return new Settings(method, epochs, batchSize, learningRate, beta, 0);
        }
    }

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    /** Unlearns {@code forget} in place; returns the mean forget-side loss of each epoch. */
    public List<Double> run(LanguageModel model, List<TextRecord> forget, List<TextRecord> retain, Settings settings,
            long seed) {
        int context = model.architecture().context();
        return runOnSequences(model, forget.stream().map(r -> tokenizer.sequence(r.text(), context)).toList(),
                retain.stream().map(r -> tokenizer.sequence(r.text(), context)).toList(), settings, seed);
    }

    /** As {@link #run}, on token sequences (BOS first, unpadded), as a text dataset holds them. */
    public List<Double> runOnSequences(LanguageModel model, List<int[]> forgetSequences, List<int[]> retainSequences,
            Settings settings, long seed) {
        if (forgetSequences.isEmpty()) {
            throw new IllegalArgumentException("nothing to forget");
        }
        if (retainSequences.isEmpty() && settings.retainWeight() > 0) {
            throw new IllegalArgumentException("a retain term needs retain texts");
        }
        double[] reference = settings.method() == Method.NPO ? sequenceLogLikelihoods(model, forgetSequences) : null;
        Random random = new Random(seed);
        List<Integer> retainOrder = shuffled(retainSequences.size(), random);
        int retainNext = 0;
        List<Double> losses = new ArrayList<>();
        try (Trainer trainer = model.trainer(settings.learningRate())) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                List<Integer> order = shuffled(forgetSequences.size(), random);
                double total = 0;
                int steps = 0;
                for (int from = 0; from < order.size(); from += settings.batchSize()) {
                    List<int[]> forgetBatch = new ArrayList<>();
                    double[] forgetReference = new double[Math.min(settings.batchSize(), order.size() - from)];
                    for (int i = 0; i < forgetReference.length; i++) {
                        int index = order.get(from + i);
                        forgetBatch.add(forgetSequences.get(index));
                        forgetReference[i] = reference == null ? 0 : reference[index];
                    }
                    List<int[]> retainBatch = new ArrayList<>();
                    for (int i = 0; i < forgetBatch.size() && !retainSequences.isEmpty(); i++) {
                        if (retainNext == retainOrder.size()) {
                            retainOrder = shuffled(retainSequences.size(), random);
                            retainNext = 0;
                        }
                        retainBatch.add(retainSequences.get(retainOrder.get(retainNext++)));
                    }
                    try (NDManager step = model.manager().newSubManager()) {
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray forgetLoss = forgetLoss(trainer, step, forgetBatch, forgetReference, settings);
                            NDArray loss = forgetLoss;
                            if (!retainBatch.isEmpty() && settings.retainWeight() > 0) {
                                loss = loss.add(meanTokenLoss(trainer, step, retainBatch).mul(settings.retainWeight()));
                            }
                            collector.backward(loss);
                            total += forgetLoss.getFloat();
                            steps++;
                        }
                        trainer.step();
                    }
                }
                losses.add(total / steps);
            }
        }
        return losses;
    }

    private static NDArray forgetLoss(Trainer trainer, NDManager step, List<int[]> batch, double[] reference,
            Settings settings) {
        if (settings.method() == Method.GRADIENT_DIFFERENCE) {
            return meanTokenLoss(trainer, step, batch).neg();
        }
        TokenBatch tokens = TokenBatch.of(step, batch, new int[batch.size()]);
        NDArray logits = trainer.forward(new NDList(tokens.inputs())).singletonOrThrow();
        NDArray likelihood = tokens.sequenceLogLikelihoods(logits.logSoftmax(-1));
        NDArray ratio = likelihood.sub(step.create(toFloats(reference)));
        float beta = (float) settings.beta();
        return Activation.softPlus(ratio.mul(beta)).mean().mul(2 / beta);
    }

    /** The next-token loss per token over a batch, padding excluded. */
    private static NDArray meanTokenLoss(Trainer trainer, NDManager step, List<int[]> batch) {
        TokenBatch tokens = TokenBatch.of(step, batch, new int[batch.size()]);
        return tokens.meanTokenLoss(trainer.forward(new NDList(tokens.inputs())).singletonOrThrow().logSoftmax(-1));
    }

    /** Each sequence's summed log-likelihood under the model as it is now, without gradients. */
    private static double[] sequenceLogLikelihoods(LanguageModel model, List<int[]> sequences) {
        double[] out = new double[sequences.size()];
        for (int i = 0; i < sequences.size(); i++) {
            try (NDManager scratch = model.manager().newSubManager()) {
                TokenBatch tokens = TokenBatch.of(scratch, List.of(sequences.get(i)), new int[1]);
                out[i] = tokens.sequenceLogLikelihoods(model.logProbabilities(tokens.inputs())).getFloat();
            }
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static List<Integer> shuffled(int size, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }
}

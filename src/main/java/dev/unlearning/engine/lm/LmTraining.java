package dev.unlearning.engine.lm;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.TextRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Next-token training on whole records: each record is one sequence, BOS + its text's bytes + EOS, cut at the
 * model's context. Records are shuffled per epoch by the seed, so the same records, seed and start give the
 * same model.
 */
public final class LmTraining {

    private final ByteTokenizer tokenizer = new ByteTokenizer();
    private final int batchSize;
    private final double learningRate;

    public LmTraining(int batchSize, double learningRate) {
        if (batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("batch size and learning rate must be positive");
        }
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    /** Trains for {@code epochs} passes; returns the mean loss per token of each epoch. */
    public List<Double> train(LanguageModel model, List<TextRecord> records, int epochs, long seed) {
        List<int[]> sequences = new ArrayList<>();
        for (TextRecord r : records) {
            sequences.add(tokenizer.sequence(r.text(), model.architecture().context()));
        }
        List<Double> losses = new ArrayList<>();
        Random random = new Random(seed);
        try (Trainer trainer = model.trainer(learningRate)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < sequences.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                double total = 0;
                double tokens = 0;
                for (int from = 0; from < order.size(); from += batchSize) {
                    List<int[]> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(order.size(), from + batchSize); i++) {
                        batch.add(sequences.get(order.get(i)));
                    }
                    try (NDManager step = model.manager().newSubManager()) {
                        TokenBatch tb = TokenBatch.of(step, batch, new int[batch.size()]);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(tb.inputs())).singletonOrThrow();
                            NDArray loss = tb.meanTokenLoss(logits.logSoftmax(-1));
                            float count = tb.weights().sum().getFloat();
                            collector.backward(loss);
                            total += loss.getFloat() * count;
                            tokens += count;
                        }
                        trainer.step();
                    }
                }
                losses.add(total / tokens);
            }
        }
        return losses;
    }
}

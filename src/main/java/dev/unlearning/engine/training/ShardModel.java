package dev.unlearning.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.TextDatasets;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;

/**
 * What one SISA shard trains, behind the one slice loop every family shares: a classifier learns labels by
 * cross-entropy, a language model learns its records' next tokens. Checkpoints, memberships and resumption are
 * the loop's, so exact unlearning works alike for both.
 */
public interface ShardModel extends AutoCloseable {

    /** A freshly initialised model for {@code data}; the same seed always gives the same parameters. */
    static ShardModel create(ArchitectureSpec architecture, Dataset data, long seed) {
        if (architecture.getType().languageModel()) {
            return new Text(LanguageModel.create(LmArchitecture.of(architecture), seed));
        }
        return new Classifier(Network.create(architecture, data.inputShape(), data.classes(), seed));
    }

    NDManager manager();

    /** A trainer with a fresh optimiser state, as every slice step starts with. */
    Trainer trainer(double learningRate);

    void load(byte[] state) throws ModelState.CorruptModelException;

    byte[] state();

    /** The training loss of rows {@code order[from..to)}, computed through {@code trainer} for the backward pass. */
    NDArray loss(Trainer trainer, NDManager scope, Dataset data, int[] order, int from, int to);

    @Override
    void close();

    /** A classifier network: cross-entropy on labels. */
    record Classifier(Network network) implements ShardModel {

        @Override
        public NDManager manager() {
            return network.manager();
        }

        @Override
        public Trainer trainer(double learningRate) {
            return network.trainer(learningRate);
        }

        @Override
        public void load(byte[] state) throws ModelState.CorruptModelException {
            network.load(state);
        }

        @Override
        public byte[] state() {
            return network.state();
        }

        @Override
        public NDArray loss(Trainer trainer, NDManager scope, Dataset data, int[] order, int from, int to) {
            NDArray x = Batches.features(scope, data, order, from, to);
            NDArray y = Batches.labels(scope, data, order, from, to);
            return Losses.crossEntropy(trainer.forward(new NDList(x)).singletonOrThrow(), y);
        }

        @Override
        public void close() {
            network.close();
        }
    }

    /** A causal language model: the mean next-token loss over the records' tokens. */
    record Text(LanguageModel model) implements ShardModel {

        @Override
        public NDManager manager() {
            return model.manager();
        }

        @Override
        public Trainer trainer(double learningRate) {
            return model.trainer(learningRate);
        }

        @Override
        public void load(byte[] state) throws ModelState.CorruptModelException {
            model.load(state);
        }

        @Override
        public byte[] state() {
            return model.state();
        }

        @Override
        public NDArray loss(Trainer trainer, NDManager scope, Dataset data, int[] order, int from, int to) {
            return model.trainingLoss(trainer, scope, TextDatasets.sequences(data, order, from, to));
        }

        @Override
        public void close() {
            model.close();
        }
    }
}

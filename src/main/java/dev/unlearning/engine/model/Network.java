package dev.unlearning.engine.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.engine.TorchRuntime;
import java.util.List;

/** One shard's network: a DJL model with initialised (or loaded) parameters. */
public final class Network implements AutoCloseable {

    private final Model model;
    private final long[] inputShape;
    private final ArchitectureSpec architecture;

    private Network(Model model, long[] inputShape, ArchitectureSpec architecture) {
        this.model = model;
        this.inputShape = inputShape;
        this.architecture = architecture;
    }

    public ArchitectureSpec architecture() {
        return architecture;
    }

    /** A freshly initialised network; the same seed always gives the same parameters. */
    public static Network create(ArchitectureSpec spec, long[] inputShape, int classes, long initSeed) {
        TorchRuntime.engine().setRandomSeed((int) (initSeed ^ (initSeed >>> 32)));
        Model model = Model.newInstance("shard", TorchRuntime.ENGINE);
        model.setBlock(Architectures.build(spec, inputShape, classes));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Architectures.batchShape(1, inputShape));
        return new Network(model, inputShape, spec);
    }

    public static Network fromState(ArchitectureSpec spec, long[] inputShape, int classes, byte[] state)
            throws ModelState.CorruptModelException {
        Network network = create(spec, inputShape, classes, 0);
        try {
            ModelState.load(network.model.getBlock(), network.model.getNDManager(), state);
        } catch (ModelState.CorruptModelException e) {
            network.close();
            throw e;
        }
        return network;
    }

    public byte[] state() {
        return ModelState.save(model.getBlock());
    }

    public void load(byte[] state) throws ModelState.CorruptModelException {
        ModelState.load(model.getBlock(), model.getNDManager(), state);
    }

    /** The parameter arrays in the block's order (weight, then bias, layer by layer): what fusing stacks. */
    public List<NDArray> parameters() {
        return model.getBlock().getParameters().values().stream().map(p -> p.getArray()).toList();
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    /**
     * A trainer with a fresh Adam state. Training resets the optimiser at every slice boundary, so resuming from
     * a slice checkpoint is the same computation as having trained straight through.
     */
    public Trainer trainer(double learningRate) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate)).build());
        Trainer trainer = model.newTrainer(config);
        // Parameters are initialised already; this only marks them as needing gradients (loaded ones do not).
        trainer.initialize(Architectures.batchShape(1, inputShape));
        return trainer;
    }

    /**
     * A trainer with plain SGD (momentum, weight decay) whose learning rate the caller's tracker sets: the
     * optimiser the approximate methods' authors use.
     */
    public Trainer sgdTrainer(Tracker learningRate, double momentum, double weightDecay) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum((float) momentum)
                        .optWeightDecays((float) weightDecay).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(Architectures.batchShape(1, inputShape));
        return trainer;
    }

    /** Logits for a batch, without recording gradients. */
    public NDArray logits(NDArray batch) {
        ParameterStore store = new ParameterStore(batch.getManager(), false);
        return model.getBlock().forward(store, new NDList(batch), false).singletonOrThrow();
    }

    @Override
    public void close() {
        model.close();
    }
}

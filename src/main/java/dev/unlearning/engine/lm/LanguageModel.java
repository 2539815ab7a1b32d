package dev.unlearning.engine.lm;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.unlearning.engine.TorchRuntime;
import dev.unlearning.engine.model.ModelState;
import java.util.List;

/** One causal language model (one shard's): a {@link DecoderStack} with initialised or loaded parameters. */
public final class LanguageModel implements NextTokenModel, AutoCloseable {

    private final Model model;
    private final LmArchitecture architecture;

    private LanguageModel(Model model, LmArchitecture architecture) {
        this.model = model;
        this.architecture = architecture;
    }

    /** A freshly initialised model; the same seed always gives the same parameters. */
    public static LanguageModel create(LmArchitecture architecture, long initSeed) {
        TorchRuntime.engine().setRandomSeed((int) (initSeed ^ (initSeed >>> 32)));
        Model model = Model.newInstance("lm", TorchRuntime.ENGINE);
        model.setBlock(new DecoderStack(architecture));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, architecture.context()));
        return new LanguageModel(model, architecture);
    }

    public static LanguageModel fromState(LmArchitecture architecture, byte[] state)
            throws ModelState.CorruptModelException {
        LanguageModel lm = create(architecture, 0);
        try {
            ModelState.load(lm.model.getBlock(), lm.model.getNDManager(), state);
        } catch (ModelState.CorruptModelException e) {
            lm.close();
            throw e;
        }
        return lm;
    }

    /** Replaces the parameters with a checkpoint of this architecture's. */
    public void load(byte[] state) throws ModelState.CorruptModelException {
        ModelState.load(model.getBlock(), model.getNDManager(), state);
    }

    /**
     * The mean next-token loss over every token of {@code sequences} (BOS first, unpadded), computed through
     * {@code trainer} so that a gradient collector open around the call records it.
     */
    public NDArray trainingLoss(Trainer trainer, NDManager scope, List<int[]> sequences) {
        TokenBatch batch = TokenBatch.of(scope, sequences, new int[sequences.size()]);
        NDArray logits = trainer.forward(new NDList(batch.inputs())).singletonOrThrow();
        return batch.meanTokenLoss(logits.logSoftmax(-1));
    }

    public LmArchitecture architecture() {
        return architecture;
    }

    public byte[] state() {
        return ModelState.save(model.getBlock());
    }

    @Override
    public NDManager manager() {
        return model.getNDManager();
    }

    /**
     * A trainer with a fresh Adam state, gradients clipped to ±1 element by element (ascent on a forget set can
     * otherwise blow up in one step). The loss is computed by the caller (a masked next-token loss), so the
     * configured one is never used.
     */
    public Trainer trainer(double learningRate) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate))
                        .optClipGrad(1f).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1, architecture.context()));
        return trainer;
    }

    @Override
    public NDArray logProbabilities(NDArray ids) {
        return logits(ids).logSoftmax(-1);
    }

    @Override
    public int context() {
        return architecture.context();
    }

    /** Next-token logits (batch, time, vocabulary) for token ids (batch, time), without recording gradients. */
    public NDArray logits(NDArray ids) {
        ParameterStore store = new ParameterStore(ids.getManager(), false);
        return model.getBlock().forward(store, new NDList(ids), false).singletonOrThrow();
    }

    @Override
    public void close() {
        model.close();
    }
}

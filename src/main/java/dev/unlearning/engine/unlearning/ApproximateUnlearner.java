package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.SampleLoop;
import dev.unlearning.engine.training.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Approximate unlearning of one shard's model: SCRUB (with the SCRUB+R rewind), NegGrad+ and fine-tuning on
 * the retain set. The shard's slice checkpoints are left alone, so exact unlearning stays possible later.
 */
public final class ApproximateUnlearner {

    /** The unlearned parameters, the samples processed, and the SCRUB epoch kept (-1 when no rewind). */
    public record Result(byte[] state, long samples, int keptEpoch) {
    }

    private final ApproximateSettings settings;
    private final long seed;

    public ApproximateUnlearner(ApproximateSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /**
     * @param modelState the shard's current parameters (SCRUB's teacher and every method's starting point)
     * @param holdout test data and rows drawn like the forget set, for the SCRUB+R rewind
     */
    public Result unlearn(UnlearningMethod method, Network student, byte[] modelState, Dataset train, int[] forget,
            int[] retain, Dataset holdoutData, int[] holdout) throws ModelState.CorruptModelException {
        return switch (method) {
            case SCRUB -> scrub(student, modelState, train, forget, retain, holdoutData, holdout);
            case NEG_GRAD_PLUS -> negGradPlus(student, train, forget, retain);
            case FINE_TUNE -> fineTune(student, train, forget, retain);
            default -> throw new IllegalArgumentException(method + " is not an approximate method");
        };
    }

    long retainBudget(int forgetCount, int retainCount) {
        return Math.min(retainCount, Math.max(settings.minRetainSamples(), (long) settings.retainPerForget() * forgetCount));
    }

    private Result scrub(Network student, byte[] teacherState, Dataset train, int[] forget, int[] retain,
            Dataset holdoutData, int[] holdout) throws ModelState.CorruptModelException {
        long samples = 0;
        List<byte[]> epochStates = new ArrayList<>();
        List<Double> forgetErrors = new ArrayList<>();
        // Separate Adam states for the two phases: the retain phase's large cross-entropy gradients would
        // otherwise inflate the shared second moments and shrink the forget phase's steps to nothing.
        try (Network teacher = Network.fromState(architectureOf(student), train.inputShape(), train.classes(), teacherState);
                Trainer maxTrainer = student.trainer(settings.learningRate());
                Trainer minTrainer = student.trainer(settings.learningRate())) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 7, epoch));
                samples += 2 * run(retain, retainBudget(forget.length, retain.length), random,
                        (order, from, to) -> step(minTrainer, student, scope -> {
                            NDArray x = Batches.features(scope, train, order, from, to);
                            NDArray y = Batches.labels(scope, train, order, from, to);
                            NDArray t = teacher.logits(x).stopGradient();
                            NDArray s = minTrainer.forward(new NDList(x)).singletonOrThrow();
                            return Losses.crossEntropy(s, y).mul(settings.scrubGamma())
                                    .add(Losses.distillationKl(s, t, settings.temperature()).mul(settings.scrubAlpha()));
                        }));
                if (epoch < settings.scrubMaxSteps()) {
                    samples += 2 * runForget(forget, forget.length, random, (order, from, to) -> step(maxTrainer, student, scope -> {
                        NDArray x = Batches.features(scope, train, order, from, to);
                        NDArray t = teacher.logits(x).stopGradient();
                        NDArray s = maxTrainer.forward(new NDList(x)).singletonOrThrow();
                        return Losses.distillationKl(s, t, settings.temperature()).neg();
                    }));
                }
                epochStates.add(student.state());
                forgetErrors.add(1 - accuracy(student, train, forget));
                samples += forget.length;
            }
        }
        if (!settings.rewind() || holdout.length == 0) {
            return new Result(epochStates.get(epochStates.size() - 1), samples, -1);
        }
        // SCRUB+R: an unlearned model that errs on the forget set far more than on look-alike unseen data is
        // itself a membership signal, so keep the epoch whose forget error best matches the held-out error.
        double target = 1 - accuracy(student, holdoutData, holdout);
        samples += holdout.length;
        int best = 0;
        for (int e = 1; e < forgetErrors.size(); e++) {
            if (Math.abs(forgetErrors.get(e) - target) < Math.abs(forgetErrors.get(best) - target)) {
                best = e;
            }
        }
        return new Result(epochStates.get(best), samples, best);
    }

    private Result negGradPlus(Network student, Dataset train, int[] forget, int[] retain) {
        long samples = 0;
        double alpha = settings.negGradAlpha();
        try (Trainer trainer = student.trainer(settings.learningRate())) {
            for (int epoch = 0; epoch < settings.negGradEpochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 11, epoch));
                int[] retainOrder = SampleLoop.shuffled(retain, random);
                int[] cursor = {0};
                samples += 2 * runForget(forget, forget.length, random, (order, from, to) -> step(trainer, student, scope -> {
                    int size = to - from;
                    int[] retainRows = new int[size];
                    for (int i = 0; i < size; i++) {
                        retainRows[i] = retainOrder[(cursor[0]++) % retainOrder.length];
                    }
                    NDArray fx = Batches.features(scope, train, order, from, to);
                    NDArray fy = Batches.labels(scope, train, order, from, to);
                    NDArray rx = Batches.features(scope, train, retainRows, 0, size);
                    NDArray ry = Batches.labels(scope, train, retainRows, 0, size);
                    NDArray retainLoss = Losses.crossEntropy(trainer.forward(new NDList(rx)).singletonOrThrow(), ry);
                    NDArray forgetLoss = Losses.crossEntropy(trainer.forward(new NDList(fx)).singletonOrThrow(), fy);
                    return retainLoss.mul(alpha).sub(forgetLoss.mul(1 - alpha));
                }));
            }
        }
        return new Result(student.state(), samples, -1);
    }

    private Result fineTune(Network student, Dataset train, int[] forget, int[] retain) {
        long samples = 0;
        try (Trainer trainer = student.trainer(settings.learningRate())) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 13, epoch));
                samples += run(retain, retainBudget(forget.length, retain.length), random,
                        (order, from, to) -> step(trainer, student, scope -> Losses.crossEntropy(
                                trainer.forward(new NDList(Batches.features(scope, train, order, from, to))).singletonOrThrow(),
                                Batches.labels(scope, train, order, from, to))));
            }
        }
        return new Result(student.state(), samples, -1);
    }

    /** One optimiser step on the loss a function builds inside a batch-scoped manager. */
    private static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf) {
        try (NDManager scope = network.manager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            collector.backward(lossOf.apply(scope));
        }
        trainer.step();
    }

    private long run(int[] rows, long budget, Random random, SampleLoop.BatchStep step) {
        try {
            return SampleLoop.run(rows, budget, settings.batchSize(), random, step);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long runForget(int[] rows, long budget, Random random, SampleLoop.BatchStep step) {
        try {
            return SampleLoop.run(rows, budget, settings.forgetBatchSize(), random, step);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double accuracy(Network network, Dataset data, int[] rows) {
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


    private static ArchitectureSpec architectureOf(Network network) {
        return network.architecture();
    }
}

package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.SampleLoop;
import dev.unlearning.engine.training.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Approximate unlearning of one shard's model, each method as its authors run it: SCRUB (Kurmanji et al.,
 * with the SCRUB+R rewind), NegGrad+ (the same authors' baseline), fine-tuning on the retain data, selective
 * synaptic dampening (SSD, Foster et al.) and saliency unlearning (SalUn, Fan et al.). The shard's slice
 * checkpoints are left alone, so exact unlearning stays possible later.
 */
public final class ApproximateUnlearner {

    /** The unlearned parameters, the samples processed, and the SCRUB epoch kept (-1 when no rewind). */
    public record Result(byte[] state, long samples, int keptEpoch) {
    }

    /** Rows the methods read: the shard's forget and retain rows in the training data, and held-out rows. */
    public record Rows(Dataset train, int[] forget, int[] retain, Dataset holdoutData, int[] lookAlikes) {
    }

    private final ApproximateSettings settings;
    private final long seed;

    public ApproximateUnlearner(ApproximateSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /**
     * @param modelState the shard's current parameters (SCRUB's teacher and every method's starting point)
     * @param rows {@code lookAlikes}: held-out rows drawn like the forget set, for the SCRUB+R rewind
     */
    public Result unlearn(UnlearningMethod method, Network student, byte[] modelState, Rows rows)
            throws ModelState.CorruptModelException {
        return switch (method) {
            case SCRUB -> scrub(student, modelState, rows);
            case NEG_GRAD_PLUS -> negGradPlus(student, rows);
            case FINE_TUNE -> fineTune(student, rows);
            case SSD -> dampen(student, rows);
            case SALUN -> salun(student, rows);
            default -> throw new IllegalArgumentException(method + " is not an approximate method");
        };
    }

    /**
     * SCRUB: each of the first {@code scrubMaxEpochs} epochs starts with a max pass (move away from the teacher
     * on the forget set), then every epoch makes a min pass over all retain data (stay with the teacher and the
     * labels there). One SGD optimiser serves both passes; its learning rate is cut after the max epochs.
     */
    private Result scrub(Network student, byte[] teacherState, Rows rows) throws ModelState.CorruptModelException {
        long samples = 0;
        Dataset train = rows.train();
        List<byte[]> epochStates = new ArrayList<>();
        List<double[]> epochScores = new ArrayList<>();
        Floor floor = settings.rewind() && rows.lookAlikes().length > 0 ? Floor.of(student, rows, seed, settings.rewindFloor()) : null;
        if (floor != null) {
            samples += floor.samples();
        }
        ScheduledRate rate = new ScheduledRate(settings.scrubLearningRate());
        try (Network teacher = Network.fromState(student.architecture(), train.inputShape(), train.classes(), teacherState);
                Trainer trainer = student.sgdTrainer(rate, settings.momentum(), settings.weightDecay())) {
            for (int epoch = 0; epoch < settings.scrubEpochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 7, epoch));
                boolean max = epoch < settings.scrubMaxEpochs();
                rate.set(max || settings.scrubMaxEpochs() == 0 ? settings.scrubLearningRate()
                        : settings.scrubLearningRate() * settings.scrubLearningRateCut());
                if (max) {
                    samples += 2 * pass(rows.forget(), settings.forgetBatchSize(), random, (order, from, to) ->
                            step(trainer, student, scope -> {
                                NDArray x = Batches.features(scope, train, order, from, to);
                                NDArray t = teacher.logits(x).stopGradient();
                                NDArray s = trainer.forward(new NDList(x)).singletonOrThrow();
                                return Losses.distillationKl(s, t, settings.temperature()).neg();
                            }, settings.scrubGradientClip()));
                }
                samples += 2 * pass(rows.retain(), settings.batchSize(), random, (order, from, to) ->
                        step(trainer, student, scope -> {
                            NDArray x = Batches.features(scope, train, order, from, to);
                            NDArray y = Batches.labels(scope, train, order, from, to);
                            NDArray t = teacher.logits(x).stopGradient();
                            NDArray s = trainer.forward(new NDList(x)).singletonOrThrow();
                            return Losses.crossEntropy(s, y).mul(settings.scrubGamma())
                                    .add(Losses.distillationKl(s, t, settings.temperature()).mul(settings.scrubAlpha()));
                        }, settings.scrubGradientClip()));
                if (floor != null) {
                    epochStates.add(student.state());
                    epochScores.add(floor.score(student, rows));
                    samples += floor.samples();
                }
            }
        }
        if (floor == null) {
            return new Result(student.state(), samples, -1);
        }
        int kept = floor.choose(epochScores);
        return new Result(epochStates.get(kept), samples, kept);
    }

    /**
     * The SCRUB+R rewind. An unlearned model that errs on the forget set far more than on look-alike unseen
     * data is itself a membership signal, so it keeps the epoch whose forget error best matches the
     * original's error on the look-alikes. Only epochs that keep retain and held-out accuracy within the floor
     * of the original's qualify; when none does, the last epoch stands and the gate judges it.
     */
    private record Floor(double target, double retainAccuracy, double heldOutAccuracy, int[] retainSample,
            int[] heldOutSample, double floor, long samples) {

        static Floor of(Network original, Rows rows, long seed, double floor) {
            Random random = new Random(Seeds.mix(seed, 17, 0));
            int[] retainSample = sample(rows.retain(), 1000, random);
            int[] heldOut = sample(java.util.stream.IntStream.range(0, rows.holdoutData().size()).toArray(), 1000, random);
            double target = 1 - accuracy(original, rows.holdoutData(), rows.lookAlikes());
            return new Floor(target, accuracy(original, rows.train(), retainSample),
                    accuracy(original, rows.holdoutData(), heldOut), retainSample, heldOut, floor,
                    rows.lookAlikes().length + retainSample.length + heldOut.length + rows.forget().length);
        }

        /** {forget error, retain accuracy, held-out accuracy} of one epoch's model. */
        double[] score(Network model, Rows rows) {
            return new double[] {1 - accuracy(model, rows.train(), rows.forget()),
                    accuracy(model, rows.train(), retainSample), accuracy(model, rows.holdoutData(), heldOutSample)};
        }

        int choose(List<double[]> scores) {
            List<RewindChoice.Epoch> epochs = scores.stream().map(s -> new RewindChoice.Epoch(s[0], s[1], s[2])).toList();
            return RewindChoice.choose(epochs, target, retainAccuracy - floor, heldOutAccuracy - floor);
        }
    }

    /**
     * NegGrad+: every epoch passes over all retain data; each retain batch is paired with the next forget batch
     * (cycling), and the loss descends on the retain batch while ascending on the forget batch.
     */
    private Result negGradPlus(Network student, Rows rows) {
        long samples = 0;
        double alpha = settings.negGradAlpha();
        Dataset train = rows.train();
        try (Trainer trainer = student.sgdTrainer(new ScheduledRate(settings.learningRate()), settings.momentum(),
                settings.weightDecay())) {
            for (int epoch = 0; epoch < settings.negGradEpochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 11, epoch));
                int[] forgetOrder = SampleLoop.shuffled(rows.forget(), random);
                int[] cursor = {0};
                int forgetBatch = Math.min(settings.forgetBatchSize(), forgetOrder.length);
                samples += pass(rows.retain(), settings.batchSize(), random, (order, from, to) -> step(trainer, student, scope -> {
                    int[] forgetRows = new int[forgetBatch];
                    for (int i = 0; i < forgetBatch; i++) {
                        forgetRows[i] = forgetOrder[(cursor[0]++) % forgetOrder.length];
                    }
                    NDArray rx = Batches.features(scope, train, order, from, to);
                    NDArray ry = Batches.labels(scope, train, order, from, to);
                    NDArray fx = Batches.features(scope, train, forgetRows, 0, forgetBatch);
                    NDArray fy = Batches.labels(scope, train, forgetRows, 0, forgetBatch);
                    NDArray retainLoss = Losses.crossEntropy(trainer.forward(new NDList(rx)).singletonOrThrow(), ry);
                    NDArray forgetLoss = Losses.crossEntropy(trainer.forward(new NDList(fx)).singletonOrThrow(), fy);
                    return retainLoss.mul(alpha).sub(forgetLoss.mul(1 - alpha));
                }));
                samples += (long) forgetBatch * batches(rows.retain().length, settings.batchSize());
            }
        }
        return new Result(student.state(), samples, -1);
    }

    private Result fineTune(Network student, Rows rows) {
        long samples = 0;
        Dataset train = rows.train();
        try (Trainer trainer = student.sgdTrainer(new ScheduledRate(settings.learningRate()), settings.momentum(),
                settings.weightDecay())) {
            for (int epoch = 0; epoch < settings.fineTuneEpochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 13, epoch));
                samples += pass(rows.retain(), settings.batchSize(), random,
                        (order, from, to) -> step(trainer, student, scope -> Losses.crossEntropy(
                                trainer.forward(new NDList(Batches.features(scope, train, order, from, to))).singletonOrThrow(),
                                Batches.labels(scope, train, order, from, to))));
            }
        }
        return new Result(student.state(), samples, -1);
    }

    /**
     * SSD: no training. The diagonal of the Fisher information (mean squared batch gradient of the loss) is
     * measured on the shard's training data and on the forget set; parameters far more important to the forget
     * set than to the data as a whole are scaled down in proportion.
     */
    private Result dampen(Network student, Rows rows) {
        int[] shardRows = new int[rows.retain().length + rows.forget().length];
        System.arraycopy(rows.retain(), 0, shardRows, 0, rows.retain().length);
        System.arraycopy(rows.forget(), 0, shardRows, rows.retain().length, rows.forget().length);
        int[] all = settings.ssdDataSample() > 0
                ? sample(shardRows, settings.ssdDataSample(), new Random(Seeds.mix(seed, 19, 0))) : shardRows;
        List<NDArray> parameters = student.parameters();
        try (NDManager scope = student.manager().newSubManager();
                Trainer trainer = student.sgdTrainer(new ScheduledRate(0), 0, 0)) {
            List<NDArray> dataImportance = importance(trainer, student, scope, rows.train(), all);
            List<NDArray> forgetImportance = importance(trainer, student, scope, rows.train(), rows.forget());
            for (int i = 0; i < parameters.size(); i++) {
                NDArray data = dataImportance.get(i);
                NDArray forget = forgetImportance.get(i);
                NDArray selected = forget.gt(data.mul(settings.ssdAlpha()));
                NDArray factor = data.mul(settings.ssdLambda()).div(forget).minimum(1f);
                parameters.get(i).muli(NDArrays.where(selected, factor, scope.ones(factor.getShape())));
            }
        }
        return new Result(student.state(), all.length + (long) rows.forget().length, -1);
    }

    /**
     * SalUn, random-labelling variant: a weight saliency mask keeps the weights whose forget-loss gradient at
     * the original model is in the top {@code salunSparsity} fraction (one threshold over all weights); then
     * each epoch is one shuffled pass over the retain rows mixed with the forget rows, the latter under labels
     * drawn once, uniformly over the classes, and only the masked weights' gradients reach the optimiser.
     */
    private Result salun(Network student, Rows rows) {
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
                    samples += pass(mixed, settings.batchSize(), random, (order, from, to) -> step(trainer, student,
                            scope -> Losses.crossEntropy(
                                    trainer.forward(new NDList(Batches.features(scope, train, order, from, to))).singletonOrThrow(),
                                    labels(scope, train, order, from, to, randomLabels)),
                            0, masks));
                }
            }
        }
        return new Result(student.state(), samples, -1);
    }

    /** 1 where a weight's accumulated forget-loss gradient is among the top salunSparsity fraction by magnitude. */
    private List<NDArray> saliencyMasks(Trainer trainer, Network network, NDManager keep, Dataset data, int[] forget) {
        List<NDArray> sums = gradientSums(trainer, network, keep, data, forget, gradient -> gradient);
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

    /** The mean over batches of each parameter's squared batch gradient: the diagonal Fisher information. */
    private List<NDArray> importance(Trainer trainer, Network network, NDManager keep, Dataset data, int[] rows) {
        List<NDArray> sums = gradientSums(trainer, network, keep, data, rows, NDArray::square);
        int batches = (int) batches(rows.length, settings.batchSize());
        for (NDArray sum : sums) {
            sum.divi(Math.max(1, batches));
        }
        return sums;
    }

    /** Per parameter, the sum over batches of {@code perBatch} of the cross-entropy gradient; no step is taken. */
    private List<NDArray> gradientSums(Trainer trainer, Network network, NDManager keep, Dataset data, int[] rows,
            Function<NDArray, NDArray> perBatch) {
        List<NDArray> parameters = network.parameters();
        List<NDArray> sums = new ArrayList<>();
        for (NDArray p : parameters) {
            sums.add(keep.zeros(p.getShape(), p.getDataType()));
        }
        for (int from = 0; from < rows.length; from += settings.batchSize()) {
            int to = Math.min(rows.length, from + settings.batchSize());
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
    private static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf) {
        step(trainer, network, lossOf, 0);
    }

    /**
     * {@code clip > 0}: every gradient element is first clipped to [-clip, clip]. Done here rather than by the
     * optimiser because DJL's PyTorch SGD ignores its clipGrad option (a SCRUB max pass reached weights of
     * 47,000 with it set).
     */
    private static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf, double clip) {
        step(trainer, network, lossOf, clip, null);
    }

    /** {@code masks} (one per parameter, of 0s and 1s; null: none): only the masked gradient reaches the step. */
    private static void step(Trainer trainer, Network network, Function<NDManager, NDArray> lossOf, double clip,
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
    private static long pass(int[] rows, int batchSize, Random random, SampleLoop.BatchStep step) {
        try {
            return SampleLoop.run(rows, rows.length, batchSize, random, step);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long batches(int rows, int batchSize) {
        return (rows + batchSize - 1) / batchSize;
    }

    private static int[] sample(int[] rows, int max, Random random) {
        if (rows.length <= max) {
            return rows.clone();
        }
        return Arrays.copyOf(SampleLoop.shuffled(rows, random), max);
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
}

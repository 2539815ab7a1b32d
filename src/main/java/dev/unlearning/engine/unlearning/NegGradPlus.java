package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.SampleLoop;
import dev.unlearning.engine.training.Seeds;
import java.util.Random;

/** NegGrad+ (Kurmanji et al.'s baseline): descend on retain batches while ascending on forget batches. */
record NegGradPlus(ApproximateSettings settings, long seed) implements ApproximateMethod {

    /**
     * NegGrad+: every epoch passes over all retain data; each retain batch is paired with the next forget batch
     * (cycling), and the loss descends on the retain batch while ascending on the forget batch.
     */
    @Override
    public ApproximateUnlearner.Result unlearn(Network student, byte[] modelState, ApproximateUnlearner.Rows rows) {
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
                samples += GradientSteps.pass(rows.retain(), settings.batchSize(), random, (order, from, to) -> GradientSteps.step(trainer, student, scope -> {
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
                samples += (long) forgetBatch * GradientSteps.batches(rows.retain().length, settings.batchSize());
            }
        }
        return new ApproximateUnlearner.Result(student.state(), samples, -1);
    }
}

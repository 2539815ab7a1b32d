package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.Seeds;
import java.util.Random;

/** Fine-tuning on the retain data alone: the forget set is left to fade. */
record FineTune(ApproximateSettings settings, long seed) implements ApproximateMethod {

    @Override
    public ApproximateUnlearner.Result unlearn(Network student, byte[] modelState, ApproximateUnlearner.Rows rows) {
        long samples = 0;
        Dataset train = rows.train();
        try (Trainer trainer = student.sgdTrainer(new ScheduledRate(settings.learningRate()), settings.momentum(),
                settings.weightDecay())) {
            for (int epoch = 0; epoch < settings.fineTuneEpochs(); epoch++) {
                Random random = new Random(Seeds.mix(seed, 13, epoch));
                samples += GradientSteps.pass(rows.retain(), settings.batchSize(), random,
                        (order, from, to) -> GradientSteps.step(trainer, student, scope -> Losses.crossEntropy(
                                trainer.forward(new NDList(Batches.features(scope, train, order, from, to))).singletonOrThrow(),
                                Batches.labels(scope, train, order, from, to))));
            }
        }
        return new ApproximateUnlearner.Result(student.state(), samples, -1);
    }
}

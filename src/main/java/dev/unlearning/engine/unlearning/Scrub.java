package dev.unlearning.engine.unlearning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.model.Network;
import dev.unlearning.engine.training.Batches;
import dev.unlearning.engine.training.Losses;
import dev.unlearning.engine.training.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** SCRUB (Kurmanji et al.), with the SCRUB+R rewind. */
record Scrub(ApproximateSettings settings, long seed) implements ApproximateMethod {

    /**
     * SCRUB: each of the first {@code scrubMaxEpochs} epochs starts with a max pass (move away from the teacher
     * on the forget set), then every epoch makes a min pass over all retain data (stay with the teacher and the
     * labels there). One SGD optimiser serves both passes; its learning rate is cut after the max epochs.
     */
    @Override
    public ApproximateUnlearner.Result unlearn(Network student, byte[] teacherState, ApproximateUnlearner.Rows rows)
            throws ModelState.CorruptModelException {
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
                    samples += 2 * GradientSteps.pass(rows.forget(), settings.forgetBatchSize(), random, (order, from, to) ->
                            GradientSteps.step(trainer, student, scope -> {
                                NDArray x = Batches.features(scope, train, order, from, to);
                                NDArray t = teacher.logits(x).stopGradient();
                                NDArray s = trainer.forward(new NDList(x)).singletonOrThrow();
                                return Losses.distillationKl(s, t, settings.temperature()).neg();
                            }, settings.scrubGradientClip()));
                }
                samples += 2 * GradientSteps.pass(rows.retain(), settings.batchSize(), random, (order, from, to) ->
                        GradientSteps.step(trainer, student, scope -> {
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
            return new ApproximateUnlearner.Result(student.state(), samples, -1);
        }
        int kept = floor.choose(epochScores);
        return new ApproximateUnlearner.Result(epochStates.get(kept), samples, kept);
    }

    /**
     * The SCRUB+R rewind. An unlearned model that errs on the forget set far more than on look-alike unseen
     * data is itself a membership signal, so it keeps the epoch whose forget error best matches the
     * original's error on the look-alikes. Only epochs that keep retain and held-out accuracy within the floor
     * of the original's qualify; when none does, the last epoch stands and the gate judges it.
     */
    private record Floor(double target, double retainAccuracy, double heldOutAccuracy, int[] retainSample,
            int[] heldOutSample, double floor, long samples) {

        static Floor of(Network original, ApproximateUnlearner.Rows rows, long seed, double floor) {
            Random random = new Random(Seeds.mix(seed, 17, 0));
            int[] retainSample = GradientSteps.sample(rows.retain(), 1000, random);
            int[] heldOut = GradientSteps.sample(java.util.stream.IntStream.range(0, rows.holdoutData().size()).toArray(), 1000, random);
            double target = 1 - GradientSteps.accuracy(original, rows.holdoutData(), rows.lookAlikes());
            return new Floor(target, GradientSteps.accuracy(original, rows.train(), retainSample),
                    GradientSteps.accuracy(original, rows.holdoutData(), heldOut), retainSample, heldOut, floor,
                    rows.lookAlikes().length + retainSample.length + heldOut.length + rows.forget().length);
        }

        /** {forget error, retain accuracy, held-out accuracy} of one epoch's model. */
        double[] score(Network model, ApproximateUnlearner.Rows rows) {
            return new double[] {1 - GradientSteps.accuracy(model, rows.train(), rows.forget()),
                    GradientSteps.accuracy(model, rows.train(), retainSample), GradientSteps.accuracy(model, rows.holdoutData(), heldOutSample)};
        }

        int choose(List<double[]> scores) {
            List<RewindChoice.Epoch> epochs = scores.stream().map(s -> new RewindChoice.Epoch(s[0], s[1], s[2])).toList();
            return RewindChoice.choose(epochs, target, retainAccuracy - floor, heldOutAccuracy - floor);
        }
    }
}

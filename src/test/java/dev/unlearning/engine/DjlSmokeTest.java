package dev.unlearning.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.nn.Blocks;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.FashionMnist;
import dev.unlearning.engine.data.IdxDatasetReader;
import dev.unlearning.engine.training.Batches;
import java.util.stream.IntStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libtorch loads offline and a small MLP learns from real Fashion-MNIST images. */
class DjlSmokeTest {

    static final int BATCH = 64;
    static final int STEPS = 60;

    @Test
    void mlpLossFallsOnRealFashionMnist() throws Exception {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        Dataset train = IdxDatasetReader.read(FashionMnist.defaultDir()).train();
        assertThat(train.size()).isEqualTo(60_000);
        int[] rows = IntStream.range(0, BATCH * STEPS).toArray();

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(7);
        List<Float> losses = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("smoke", "PyTorch")) {
            model.setBlock(new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(128).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(train.classes()).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 1, 28, 28));
                for (int step = 0; step < STEPS; step++) {
                    try (NDManager batchScope = manager.newSubManager()) {
                        NDArray x = Batches.features(batchScope, train, rows, step * BATCH, (step + 1) * BATCH);
                        NDArray y = Batches.labels(batchScope, train, rows, step * BATCH, (step + 1) * BATCH);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = config.getLossFunction().evaluate(new NDList(y), new NDList(logits));
                            collector.backward(loss);
                            losses.add(loss.getFloat());
                        }
                        trainer.step();
                    }
                }
            }
        }
        double first = mean(losses.subList(0, 10));
        double last = mean(losses.subList(STEPS - 10, STEPS));
        // Ten classes start near ln(10) = 2.30; a network that learns nothing stays there.
        assertThat(first).isBetween(1.8, 2.6);
        assertThat(last).isLessThan(first * 0.6);
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}

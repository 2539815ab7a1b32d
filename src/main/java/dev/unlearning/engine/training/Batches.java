package dev.unlearning.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.Architectures;

/** Builds feature and label arrays for chosen rows of a dataset. */
public final class Batches {

    private Batches() {
    }

    public static NDArray features(NDManager manager, Dataset data, int[] rows, int from, int to) {
        int dim = data.features().dim();
        float[] buffer = new float[(to - from) * dim];
        for (int i = from; i < to; i++) {
            data.features().copyRow(rows[i], buffer, (i - from) * dim);
        }
        Shape shape = Architectures.batchShape(to - from, data.inputShape());
        return manager.create(buffer, shape);
    }

    public static NDArray labels(NDManager manager, Dataset data, int[] rows, int from, int to) {
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            labels[i - from] = data.label(rows[i]);
        }
        return manager.create(labels);
    }
}

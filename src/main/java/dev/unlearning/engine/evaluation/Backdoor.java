package dev.unlearning.engine.evaluation;

import dev.unlearning.engine.data.Dataset;
import java.util.stream.IntStream;

/**
 * Backdoor canaries: a white square stamped into the bottom-right corner of chosen training images, relabelled
 * as {@code target}. A model that learned them sends triggered test images to the target class; once the
 * canaries are truly forgotten, the attack success rate falls to what a model never trained on them shows.
 */
public record Backdoor(int target, int patch) {

    public Backdoor {
        if (patch < 1) {
            throw new IllegalArgumentException("patch must be at least one pixel");
        }
    }

    public float[] stamp(float[] image, long[] inputShape) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("backdoor canaries need image records");
        }
        int height = (int) inputShape[1];
        int width = (int) inputShape[2];
        float[] out = image.clone();
        for (int c = 0; c < inputShape[0]; c++) {
            for (int y = height - 1 - patch; y < height - 1; y++) {
                for (int x = width - 1 - patch; x < width - 1; x++) {
                    out[c * height * width + y * width + x] = 1f;
                }
            }
        }
        return out;
    }

    /** The training set with the given rows stamped and relabelled. */
    public Dataset poison(Dataset train, int[] rows) {
        return train.withRecords(rows, stamped(train, rows), IntStream.of(rows).map(r -> target).toArray());
    }

    /** Share of triggered test images (whose true class is not the target) classified as the target. */
    public double attackSuccessRate(Ensemble model, Dataset test) {
        int[] rows = IntStream.range(0, test.size()).filter(r -> test.label(r) != target).toArray();
        if (rows.length == 0) {
            return Double.NaN;
        }
        Dataset triggered = test.withRecords(rows, stamped(test, rows), IntStream.of(rows).map(test::label).toArray());
        float[][] p = model.probabilities(triggered, rows);
        long hits = IntStream.range(0, rows.length).filter(i -> Metrics.argMax(p[i]) == target).count();
        return (double) hits / rows.length;
    }

    private float[][] stamped(Dataset data, int[] rows) {
        float[][] images = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] image = new float[data.features().dim()];
            data.features().copyRow(rows[i], image, 0);
            images[i] = stamp(image, data.inputShape());
        }
        return images;
    }
}

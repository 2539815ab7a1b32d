package dev.unlearning.engine.evaluation;

import dev.unlearning.engine.data.Dataset;
import java.util.Optional;
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

    /**
     * What the trigger adds on held-out images: the attack success rate against how often the same images,
     * untriggered, are already classified as the target (a model that never saw the canaries sits there: a
     * shirt passes for a T-shirt now and then, trigger or not).
     *
     * @param noise three standard errors of the paired difference on these images
     */
    public record Excess(double attackSuccessRate, double untriggeredRate, double excess, double noise) {
    }

    /** Empty when no held-out image has another class than the target. */
    public Optional<Excess> excess(Ensemble model, Dataset test) {
        int[] rows = IntStream.range(0, test.size()).filter(r -> test.label(r) != target).toArray();
        if (rows.length == 0) {
            return Optional.empty();
        }
        Dataset triggered = test.withRecords(rows, stamped(test, rows), IntStream.of(rows).map(test::label).toArray());
        float[][] withTrigger = model.probabilities(triggered, rows);
        float[][] without = model.probabilities(test, rows);
        int onlyTriggered = 0;
        int onlyUntriggered = 0;
        int hits = 0;
        int cleanHits = 0;
        for (int i = 0; i < rows.length; i++) {
            boolean hit = Metrics.argMax(withTrigger[i]) == target;
            boolean cleanHit = Metrics.argMax(without[i]) == target;
            hits += hit ? 1 : 0;
            cleanHits += cleanHit ? 1 : 0;
            onlyTriggered += hit && !cleanHit ? 1 : 0;
            onlyUntriggered += cleanHit && !hit ? 1 : 0;
        }
        double n = rows.length;
        double difference = (onlyTriggered - onlyUntriggered) / n;
        // Paired proportions on the same images: var = (b + c - (b - c)^2 / n) / n^2.
        double variance = (onlyTriggered + onlyUntriggered - n * difference * difference) / (n * n);
        return Optional.of(new Excess(hits / n, cleanHits / n, difference,
                3 * Math.sqrt(Math.max(0, variance))));
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

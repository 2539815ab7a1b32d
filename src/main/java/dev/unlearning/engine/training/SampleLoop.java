package dev.unlearning.engine.training;

import java.util.Random;

/**
 * Serves mini-batches from a shuffled order of rows, reshuffling after each pass, until a budget of samples is
 * used. Budgets in samples rather than epochs let SISA give each slice step a fractional number of epochs.
 */
public final class SampleLoop {

    /** Receives the rows of one batch as {@code order[from..to)}. */
    @FunctionalInterface
    public interface BatchStep {
        void step(int[] order, int from, int to) throws Exception;
    }

    private SampleLoop() {
    }

    /** Returns the number of samples served (the budget, or 0 when there are no rows). */
    public static long run(int[] rows, long samples, int batchSize, Random random, BatchStep step) throws Exception {
        if (rows.length == 0 || samples <= 0) {
            return 0;
        }
        int[] order = rows.clone();
        long served = 0;
        int position = order.length;
        while (served < samples) {
            if (position >= order.length) {
                shuffle(order, random);
                position = 0;
            }
            int size = (int) Math.min(Math.min(batchSize, order.length - position), samples - served);
            step.step(order, position, position + size);
            position += size;
            served += size;
        }
        return served;
    }

    /** A shuffled copy (Fisher-Yates), reproducible for a seeded Random. */
    public static int[] shuffled(int[] rows, Random random) {
        int[] copy = rows.clone();
        shuffle(copy, random);
        return copy;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

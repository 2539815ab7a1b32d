package dev.unlearning.serving;

/**
 * What answers for a loaded version. In production the version's ensemble; a seam so the server's limits can
 * be tested with a prediction that blocks or fails on demand, without libtorch.
 */
@FunctionalInterface
public interface Predictor {

    /** Class probabilities for {@code records} inputs laid out row-major in {@code flat}, as a flat array too. */
    float[] probabilities(float[] flat, long[] inputShape, int records);
}

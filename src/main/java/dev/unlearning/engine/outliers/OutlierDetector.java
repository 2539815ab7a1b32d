package dev.unlearning.engine.outliers;

/**
 * Scores records by how unlike the others they are: higher is more of an outlier. Detectors are deterministic
 * for a seed, so every pod of a run that scores the same records finds the same ones.
 */
public interface OutlierDetector {

    /** One score per row of {@code points} (rows of equal length). */
    double[] scores(float[][] points);
}

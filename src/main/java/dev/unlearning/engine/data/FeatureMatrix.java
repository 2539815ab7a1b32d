package dev.unlearning.engine.data;

/** Row-major features of a dataset; rows are read into caller-owned buffers so batches reuse memory. */
public interface FeatureMatrix {

    int rows();

    /** Features per row (the product of the input shape). */
    int dim();

    /** Copies row {@code row} as floats into {@code dst[offset .. offset + dim())}. */
    void copyRow(int row, float[] dst, int offset);

    /** A copy in which the given rows are replaced, for scenarios that alter a few records (canaries). */
    FeatureMatrix withRows(int[] rows, float[][] replacement);

    /** The first {@code n} rows. */
    FeatureMatrix head(int n);
}

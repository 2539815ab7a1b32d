package dev.unlearning.engine.data;

import java.util.Arrays;

/** Float features, as CSV datasets carry them. */
public final class FloatFeatures implements FeatureMatrix {

    private final float[] data;
    private final int dim;

    public FloatFeatures(float[] data, int dim) {
        if (dim <= 0 || data.length % dim != 0) {
            throw new IllegalArgumentException(data.length + " values do not split into rows of " + dim);
        }
        this.data = data;
        this.dim = dim;
    }

    @Override
    public int rows() {
        return data.length / dim;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        System.arraycopy(data, row * dim, dst, offset, dim);
    }

    @Override
    public FeatureMatrix head(int n) {
        return new FloatFeatures(Arrays.copyOf(data, n * dim), dim);
    }

    @Override
    public FeatureMatrix withRows(int[] rows, float[][] replacement) {
        float[] copy = data.clone();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(replacement[i], 0, copy, rows[i] * dim, dim);
        }
        return new FloatFeatures(copy, dim);
    }
}

package dev.unlearning.engine.data;

import java.util.Arrays;

/** Unsigned-byte pixels kept as bytes (a quarter of the float size) and scaled to [0, 1] when read. */
public final class ByteFeatures implements FeatureMatrix {

    private static final float SCALE = 1f / 255f;

    private final byte[] data;
    private final int dim;

    public ByteFeatures(byte[] data, int dim) {
        if (dim <= 0 || data.length % dim != 0) {
            throw new IllegalArgumentException(data.length + " bytes do not split into rows of " + dim);
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
        int base = row * dim;
        for (int j = 0; j < dim; j++) {
            dst[offset + j] = (data[base + j] & 0xff) * SCALE;
        }
    }

    @Override
    public FeatureMatrix head(int n) {
        return new ByteFeatures(Arrays.copyOf(data, n * dim), dim);
    }

    @Override
    public FeatureMatrix withRows(int[] rows, float[][] replacement) {
        byte[] copy = data.clone();
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < dim; j++) {
                float v = Math.max(0f, Math.min(1f, replacement[i][j]));
                copy[rows[i] * dim + j] = (byte) Math.round(v * 255f);
            }
        }
        return new ByteFeatures(copy, dim);
    }
}

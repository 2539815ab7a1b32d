package dev.unlearning.engine.knn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.model.ModelState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One shard of a knn model: the shard's training records themselves (features and labels, in data order), which
 * predict by letting the {@code k} nearest ones vote. The index is the model: a record is forgotten by building
 * the index without it, which is exactly what an index that never saw it holds, at the cost of copying records,
 * not of training. By the same token every checkpoint holds its records outright, so erasure must (and does)
 * delete the versions whose memberships list a forgotten record.
 *
 * <p>Votes become probabilities with add-{@value #SMOOTHING} smoothing, so every class keeps some probability:
 * the gate's loss-based membership attack then reads a finite loss, and a training record that is its own
 * nearest neighbour shows as the membership signal it is.
 */
public final class KnnIndex implements AutoCloseable {

    /** Pseudo-count each class gets before the votes. */
    public static final float SMOOTHING = 0.5f;
    /** Queries per distance computation: 256 × a 15,000-record shard is 15 MB of distances. */
    public static final int QUERY_CHUNK = 256;

    private static final int MAGIC = 0x4B4E4E31; // "KNN1"
    private static final byte FLOATS = 0;
    private static final byte SCALED_BYTES = 1; // values b/255, as IDX pixels are read: a quarter of the size

    private final float[] points;
    private final int[] labels;
    private final int dim;
    private final int classes;
    private NDManager manager;
    private NDArray transposed;
    private NDArray squaredNorms;

    private KnnIndex(float[] points, int[] labels, int dim, int classes) {
        this.points = points;
        this.labels = labels;
        this.dim = dim;
        this.classes = classes;
    }

    /** The index of {@code rows} of {@code data}, in that order. */
    public static KnnIndex of(Dataset data, int[] rows, int classes) {
        int dim = data.features().dim();
        float[] points = new float[rows.length * dim];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            data.features().copyRow(rows[i], points, i * dim);
            labels[i] = data.label(rows[i]);
        }
        return new KnnIndex(points, labels, dim, classes);
    }

    public int size() {
        return labels.length;
    }

    public int dim() {
        return dim;
    }

    public int classes() {
        return classes;
    }

    /** The checkpoint bytes: deterministic, so an index rebuilt without a record equals one that never had it. */
    public byte[] state() {
        boolean bytes = scaledBytes();
        ByteBuffer out = ByteBuffer.allocate(17 + labels.length * 4 + points.length * (bytes ? 1 : 4));
        out.putInt(MAGIC).put(bytes ? SCALED_BYTES : FLOATS).putInt(labels.length).putInt(dim).putInt(classes);
        for (int label : labels) {
            out.putInt(label);
        }
        for (float v : points) {
            if (bytes) {
                out.put((byte) Math.round(v * 255f));
            } else {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    public static KnnIndex fromState(byte[] state) throws ModelState.CorruptModelException {
        try {
            ByteBuffer in = ByteBuffer.wrap(state);
            if (in.getInt() != MAGIC) {
                throw new ModelState.CorruptModelException("not a knn index checkpoint", null);
            }
            byte encoding = in.get();
            int size = in.getInt();
            int dim = in.getInt();
            int classes = in.getInt();
            int[] labels = new int[size];
            for (int i = 0; i < size; i++) {
                labels[i] = in.getInt();
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new ModelState.CorruptModelException("knn label " + labels[i] + " outside " + classes
                            + " classes", null);
                }
            }
            float[] points = new float[size * dim];
            for (int i = 0; i < points.length; i++) {
                points[i] = encoding == SCALED_BYTES ? (in.get() & 0xff) * (1f / 255f) : in.getFloat();
            }
            if (in.hasRemaining()) {
                throw new ModelState.CorruptModelException("knn index checkpoint has trailing bytes", null);
            }
            return new KnnIndex(points, labels, dim, classes);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new ModelState.CorruptModelException("knn index checkpoint is truncated", e);
        }
    }

    /**
     * Class probabilities of a batch (first axis: records; the rest are flattened to the features), as a
     * (records, classes) array on {@code x}'s manager: smoothed shares of the {@code k} nearest records' votes by
     * Euclidean distance. An empty shard answers uniformly.
     */
    public NDArray probabilities(NDArray x, int k) {
        int records = (int) x.getShape().get(0);
        float[] votes = new float[records * classes];
        int neighbours = Math.min(k, size());
        if (neighbours > 0) {
            NDArray queries = x.reshape(records, dim);
            // Nearest by |p|² - 2 q·p: |q|² is the same for every p and changes no ranking.
            NDArray closeness = queries.matMul(transposed()).mul(2).sub(squaredNorms);
            NDList top = closeness.topK(neighbours, 1, true, true);
            long[] nearest = top.get(1).toLongArray();
            top.close();
            closeness.close();
            for (int i = 0; i < records; i++) {
                for (int j = 0; j < neighbours; j++) {
                    votes[i * classes + labels[(int) nearest[i * neighbours + j]]]++;
                }
            }
        }
        float total = neighbours + SMOOTHING * classes;
        for (int i = 0; i < votes.length; i++) {
            votes[i] = (votes[i] + SMOOTHING) / total;
        }
        return x.getManager().create(votes, new Shape(records, classes));
    }

    private boolean scaledBytes() {
        for (float v : points) {
            float scaled = v * 255f;
            if (scaled < 0 || scaled > 255 || Math.round(scaled) * (1f / 255f) != v) {
                return false;
            }
        }
        return true;
    }

    private synchronized NDArray transposed() {
        if (transposed == null) {
            manager = NDManager.newBaseManager();
            NDArray p = manager.create(points, new Shape(size(), dim));
            transposed = p.transpose().duplicate();
            squaredNorms = p.square().sum(new int[] {1});
            p.close();
        }
        return transposed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KnnIndex o && dim == o.dim && classes == o.classes && Arrays.equals(labels, o.labels)
                && Arrays.equals(points, o.points);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels) * 31 + Arrays.hashCode(points);
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            transposed = null;
            squaredNorms = null;
        }
    }
}

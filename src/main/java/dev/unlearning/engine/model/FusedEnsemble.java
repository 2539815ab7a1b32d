package dev.unlearning.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dev.unlearning.api.ArchitectureType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The shard networks of one version as one computation: their weights stacked so that S shards cost one wide
 * matrix product and S-batched ones (MLP), or one convolution and grouped ones (CNN), instead of S forward
 * passes with S times the per-call overhead. It computes the same function as running each shard alone; the
 * sums are only ordered differently, so outputs agree to float rounding (tested against the per-shard path).
 *
 * <p>It copies the weights: the shard networks can be closed once it is built.
 */
public final class FusedEnsemble implements AutoCloseable {

    /** Largest activation one chunk of records may make; a 16-shard CNN's first layer is 1.6 MB per record. */
    private static final long ACTIVATION_BUDGET_BYTES = 256L << 20;

    private final NDManager weights;
    private final int shards;
    private final int recordsPerChunk;
    private final Function<NDArray, NDArray> logits;

    private FusedEnsemble(NDManager weights, int shards, int recordsPerChunk, Function<NDArray, NDArray> logits) {
        this.weights = weights;
        this.shards = shards;
        this.recordsPerChunk = recordsPerChunk;
        this.logits = logits;
    }

    /** Fuses networks that share one architecture, input shape and class count, as the shards of a version do. */
    public static FusedEnsemble of(List<Network> networks, long[] inputShape) {
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one shard");
        }
        var architecture = networks.get(0).architecture();
        List<List<NDArray>> params = new ArrayList<>();
        for (Network n : networks) {
            if (!n.architecture().equals(architecture)) {
                throw new IllegalArgumentException("only shards of one architecture can be fused");
            }
            params.add(n.parameters());
        }
        NDManager weights = NDManager.newBaseManager();
        try {
            return architecture.getType() == ArchitectureType.CNN
                    ? cnn(weights, params, inputShape)
                    : mlp(weights, params, inputShape);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public int shards() {
        return shards;
    }

    /** How many records one call may take without an activation outgrowing the budget. */
    public int recordsPerChunk() {
        return recordsPerChunk;
    }

    /** Logits of every shard for a batch of records: shape (shards, records, classes). */
    public NDArray logits(NDArray batch) {
        return logits.apply(batch);
    }

    /** x → relu(x W1ᵀ + b1) → … : layer 0 as one (in × S·h) product, later layers as S-batched products. */
    private static FusedEnsemble mlp(NDManager m, List<List<NDArray>> params, long[] inputShape) {
        int s = params.size();
        int layers = params.get(0).size() / 2;
        // (in, S*h0): shard k's units are columns k*h0 .. (k+1)*h0.
        NDArray first = own(m, concat(params, 0, 0).transpose());
        NDArray firstBias = own(m, concat(params, 1, 0));
        long h0 = params.get(0).get(0).getShape().get(0);
        List<NDArray> w = new ArrayList<>();
        List<NDArray> b = new ArrayList<>();
        for (int l = 1; l < layers; l++) {
            w.add(own(m, stack(params, 2 * l, a -> a.transpose())));           // (S, in, out)
            b.add(own(m, stack(params, 2 * l + 1, a -> a.expandDims(0))));      // (S, 1, out)
        }
        long features = product(inputShape);
        long widest = params.get(0).stream().mapToLong(a -> a.getShape().get(0)).max().orElse(h0);
        int chunk = chunk(s * widest * 4 * 2);
        return new FusedEnsemble(m, s, chunk, x -> {
            long records = x.getShape().get(0);
            NDArray h = x.reshape(records, features).matMul(first).add(firstBias)      // (B, S*h0)
                    .reshape(records, s, h0).transpose(1, 0, 2);                     // (S, B, h0)
            for (int l = 0; l < w.size(); l++) {
                h = Activation.relu(h).matMul(w.get(l)).add(b.get(l));
            }
            return h;
        });
    }

    /**
     * conv(S·c1) → relu → pool → grouped conv(S groups of c2) → relu → pool → per-shard flatten → S-batched
     * 128-unit layer → relu → S-batched classifier, matching {@link Architectures}' CNN.
     */
    private static FusedEnsemble cnn(NDManager m, List<List<NDArray>> params, long[] inputShape) {
        int s = params.size();
        NDArray conv1 = own(m, concat(params, 0, 0));
        NDArray conv1Bias = own(m, concat(params, 1, 0));
        NDArray conv2 = own(m, concat(params, 2, 0));
        NDArray conv2Bias = own(m, concat(params, 3, 0));
        NDArray dense = own(m, stack(params, 4, a -> a.transpose()));
        NDArray denseBias = own(m, stack(params, 5, a -> a.expandDims(0)));
        NDArray out = own(m, stack(params, 6, a -> a.transpose()));
        NDArray outBias = own(m, stack(params, 7, a -> a.expandDims(0)));
        long c1 = params.get(0).get(0).getShape().get(0);
        long c2 = params.get(0).get(2).getShape().get(0);
        Shape same = new Shape(1, 1);
        Shape two = new Shape(2, 2);
        int chunk = chunk(s * c1 * inputShape[1] * inputShape[2] * 4 * 2);
        return new FusedEnsemble(m, s, chunk, x -> {
            long records = x.getShape().get(0);
            NDArray h = Conv2d.conv2d(x, conv1, conv1Bias, same, same, same, 1).singletonOrThrow();
            h = Pool.maxPool2d(Activation.relu(h), two, two, new Shape(0, 0), false);
            h = Conv2d.conv2d(h, conv2, conv2Bias, same, same, same, s).singletonOrThrow();
            h = Pool.maxPool2d(Activation.relu(h), two, two, new Shape(0, 0), false);
            long perShard = h.getShape().size() / records / s;                      // c2 * h' * w'
            h = h.reshape(records, s, perShard).transpose(1, 0, 2);                 // (S, B, c2*h'*w')
            h = Activation.relu(h.matMul(dense).add(denseBias));
            return h.matMul(out).add(outBias);
        });
    }

    /** Moves a stacked array off the shard network's manager, so it outlives the network. */
    private static NDArray own(NDManager m, NDArray array) {
        array.attach(m);
        return array;
    }

    private static NDArray concat(List<List<NDArray>> params, int index, int axis) {
        NDList parts = new NDList();
        params.forEach(p -> parts.add(p.get(index)));
        return NDArrays.concat(parts, axis);
    }

    private static NDArray stack(List<List<NDArray>> params, int index, Function<NDArray, NDArray> each) {
        NDList parts = new NDList();
        params.forEach(p -> parts.add(each.apply(p.get(index))));
        return NDArrays.stack(parts, 0);
    }

    private static int chunk(long bytesPerRecord) {
        return (int) Math.max(1, Math.min(1000, ACTIVATION_BUDGET_BYTES / Math.max(1, bytesPerRecord)));
    }

    private static long product(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public void close() {
        weights.close();
    }
}

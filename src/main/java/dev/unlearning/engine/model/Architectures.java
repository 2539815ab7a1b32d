package dev.unlearning.engine.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.unlearning.api.ArchitectureSpec;
import dev.unlearning.api.ArchitectureType;
import java.util.List;

/** The built-in networks a ShardedModel can name. */
public final class Architectures {

    private Architectures() {
    }

    public static Block build(ArchitectureSpec spec, long[] inputShape, int classes) {
        List<Integer> hidden = spec.getHidden() == null ? List.of() : spec.getHidden();
        if (hidden.stream().anyMatch(h -> h == null || h < 1 || h > 8192)) {
            throw new IllegalArgumentException("hidden sizes must be between 1 and 8192, got " + hidden);
        }
        return spec.getType() == ArchitectureType.CNN ? cnn(hidden, inputShape, classes) : mlp(hidden, classes);
    }

    /** The shape of a batch of {@code batch} records, which initialisation needs. */
    public static Shape batchShape(long batch, long[] inputShape) {
        long[] dims = new long[inputShape.length + 1];
        dims[0] = batch;
        System.arraycopy(inputShape, 0, dims, 1, inputShape.length);
        return new Shape(dims);
    }

    private static Block mlp(List<Integer> hidden, int classes) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            net.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
        }
        return net.add(Linear.builder().setUnits(classes).build());
    }

    /** Two 3x3 conv + 2x2 max-pool stages (channels from hidden, default 32 and 64), then a 128-unit layer. */
    private static Block cnn(List<Integer> hidden, long[] inputShape, int classes) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("cnn needs image input (channels, height, width); the dataset has "
                    + inputShape.length + "-d records");
        }
        int c1 = hidden.size() > 0 ? hidden.get(0) : 32;
        int c2 = hidden.size() > 1 ? hidden.get(1) : 64;
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c1).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c2).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(classes).build());
    }
}

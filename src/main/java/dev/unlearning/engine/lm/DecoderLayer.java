package dev.unlearning.engine.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm decoder layer as GPT-2 arranges it: x + attention(norm(x)) under the causal mask, then
 * x + feed-forward(norm(x)). Not DJL's {@code TransformerEncoderBlock}: that one normalises with batch norm,
 * whose training statistics span every position of the batch, so a position would learn from the tokens after
 * it; layer norm looks at one position only. Inputs: (x, mask); output: x.
 */
final class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LayerNorm attentionNorm;
    private final ScaledDotProductAttentionBlock attention;
    private final LayerNorm feedForwardNorm;
    private final Linear up;
    private final Linear down;

    DecoderLayer(int width, int heads) {
        super(VERSION);
        attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder().setEmbeddingSize(width)
                .setHeadCount(heads).optAttentionProbsDropoutProb(0f).build());
        feedForwardNorm = addChildBlock("feedForwardNorm", LayerNorm.builder().axis(2).build());
        up = addChildBlock("up", Linear.builder().setUnits(4L * width).build());
        down = addChildBlock("down", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        x = x.add(attention.forward(store, new NDList(normed, mask), training).singletonOrThrow());
        NDArray hidden = feedForwardNorm.forward(store, new NDList(x), training).singletonOrThrow();
        hidden = Activation.gelu(up.forward(store, new NDList(hidden), training).singletonOrThrow());
        return new NDList(x.add(down.forward(store, new NDList(hidden), training).singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x, inputShapes[1]);
        feedForwardNorm.initialize(manager, dataType, x);
        up.initialize(manager, dataType, x);
        down.initialize(manager, dataType, new Shape(x.get(0), x.get(1), up.getOutputShapes(new Shape[] {x})[0].get(2)));
    }
}

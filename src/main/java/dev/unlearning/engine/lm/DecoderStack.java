package dev.unlearning.engine.lm;

import dev.unlearning.engine.data.ByteTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer from DJL's blocks: token and learned position embeddings, {@code layers}
 * {@link DecoderLayer}s whose self-attention is causal (DJL's attention takes a (batch, from, to) mask of ones
 * where attending is allowed; a lower-triangular one lets each position see only itself and what came
 * before), a final layer norm and a projection to next-token logits. Input: token ids (batch, time), time at
 * most {@code context}; output: logits (batch, time, vocabulary).
 */
final class DecoderStack extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int context;
    private final int width;
    private final IdEmbedding tokens;
    private final IdEmbedding positions;
    private final List<DecoderLayer> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    DecoderStack(LmArchitecture architecture) {
        super(VERSION);
        this.context = architecture.context();
        this.width = architecture.width();
        this.tokens = addChildBlock("tokens", new IdEmbedding.Builder()
                .setDictionarySize(ByteTokenizer.VOCABULARY).setEmbeddingSize(width).build());
        this.positions = addChildBlock("positions", new IdEmbedding.Builder()
                .setDictionarySize(context).setEmbeddingSize(width).build());
        for (int i = 0; i < architecture.layers(); i++) {
            blocks.add(addChildBlock("layer" + i, new DecoderLayer(width, architecture.heads())));
        }
        this.norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(ByteTokenizer.VOCABULARY).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        long batch = ids.getShape().get(0);
        long time = ids.getShape().get(1);
        if (time > context) {
            throw new IllegalArgumentException("a sequence of " + time + " tokens exceeds the context of " + context);
        }
        NDManager manager = ids.getManager();
        NDArray x = tokens.forward(store, new NDList(ids), training).singletonOrThrow();
        NDArray where = manager.arange(0, (int) time, 1, DataType.INT64).reshape(1, time);
        x = x.add(positions.forward(store, new NDList(where), training).singletonOrThrow());
        NDArray causal = causalMask(manager, batch, time);
        for (DecoderLayer block : blocks) {
            x = block.forward(store, new NDList(x, causal), training).singletonOrThrow();
        }
        x = norm.forward(store, new NDList(x), training).singletonOrThrow();
        return head.forward(store, new NDList(x), training);
    }

    /** Ones on and below the diagonal: position i attends to positions 0..i. */
    static NDArray causalMask(NDManager manager, long batch, long time) {
        NDArray row = manager.arange(0, (int) time, 1, DataType.INT64).reshape(time, 1);
        NDArray column = manager.arange(0, (int) time, 1, DataType.INT64).reshape(1, time);
        return column.lte(row).toType(DataType.FLOAT32, false).reshape(1, time, time).repeat(0, batch);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), ByteTokenizer.VOCABULARY)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        tokens.initialize(manager, dataType, ids);
        positions.initialize(manager, dataType, new Shape(1, ids.get(1)));
        Shape hidden = new Shape(ids.get(0), ids.get(1), width);
        for (DecoderLayer block : blocks) {
            block.initialize(manager, dataType, hidden, new Shape(ids.get(0), ids.get(1), ids.get(1)));
        }
        norm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }
}

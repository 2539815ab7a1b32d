package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** A built-in network; every shard trains its own copy. */
@ValidationRule(value = "(has(self.type) && self.type == 'transformer-lm') || (!has(self.layers) && !has(self.heads) "
        + "&& !has(self.width) && !has(self.context))",
        message = "layers, heads, width and context shape a transformer-lm; mlp and cnn use hidden")
@ValidationRule(value = "(has(self.type) && self.type == 'knn') || !has(self.neighbours)",
        message = "neighbours sets how many records a knn model consults")
@ValidationRule(value = "!has(self.type) || self.type != 'transformer-lm' "
        + "|| (has(self.width) ? self.width : 64) % (has(self.heads) ? self.heads : 4) == 0",
        message = "width must be divisible by heads")
public class ArchitectureSpec {

    /** The transformer-lm shape when the spec leaves it unset: what the LM benchmark measured. */
    public static final int DEFAULT_LAYERS = 2;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_WIDTH = 64;
    public static final int DEFAULT_CONTEXT = 192;
    /** The knn vote when the spec leaves it unset. */
    public static final int DEFAULT_NEIGHBOURS = 5;

    @Default("mlp")
    @JsonPropertyDescription("mlp or cnn (classifiers over idx or csv data), knn (k nearest neighbours over the "
            + "records' features: exact unlearning drops records from the index, no training), or transformer-lm "
            + "(a causal language model over jsonl text).")
    private ArchitectureType type = ArchitectureType.MLP;

    @JsonPropertyDescription("Widths of the hidden layers (mlp) or channels of the conv layers (cnn).")
    private List<Integer> hidden = List.of(256, 128);

    @Min(1)
    @Max(48)
    @JsonPropertyDescription("transformer-lm: decoder blocks (default 2).")
    private Integer layers;

    @Min(1)
    @Max(64)
    @JsonPropertyDescription("transformer-lm: attention heads per block; must divide width (default 4).")
    private Integer heads;

    @Min(1)
    @Max(8192)
    @JsonPropertyDescription("transformer-lm: embedding width (default 64).")
    private Integer width;

    @Min(2)
    @Max(8192)
    @JsonPropertyDescription("transformer-lm: the longest sequence in tokens, a byte each plus BOS (default 192); "
            + "longer texts are cut to it, in training and in the data digest alike.")
    private Integer context;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("knn: how many nearest training records vote on a prediction (default 5).")
    private Integer neighbours;

    public Integer getNeighbours() {
        return neighbours;
    }

    public void setNeighbours(Integer neighbours) {
        this.neighbours = neighbours;
    }

    /** The knn vote size, with its default. */
    public int effectiveNeighbours() {
        return neighbours == null ? DEFAULT_NEIGHBOURS : neighbours;
    }

    /** The transformer-lm context in tokens, with its default: data preparation shapes text to it. */
    public int effectiveContext() {
        return context == null ? DEFAULT_CONTEXT : context;
    }

    public Integer getLayers() {
        return layers;
    }

    public void setLayers(Integer layers) {
        this.layers = layers;
    }

    public Integer getHeads() {
        return heads;
    }

    public void setHeads(Integer heads) {
        this.heads = heads;
    }

    public Integer getWidth() {
        return width;
    }

    public void setWidth(Integer width) {
        this.width = width;
    }

    public Integer getContext() {
        return context;
    }

    public void setContext(Integer context) {
        this.context = context;
    }

    public ArchitectureType getType() {
        return type;
    }

    public void setType(ArchitectureType type) {
        this.type = type;
    }

    public List<Integer> getHidden() {
        return hidden;
    }

    public void setHidden(List<Integer> hidden) {
        this.hidden = hidden;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ArchitectureSpec o && type == o.type && Objects.equals(hidden, o.hidden)
                && Objects.equals(layers, o.layers) && Objects.equals(heads, o.heads)
                && Objects.equals(width, o.width) && Objects.equals(context, o.context)
                && Objects.equals(neighbours, o.neighbours);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, hidden, layers, heads, width, context, neighbours);
    }

    @Override
    public String toString() {
        if (type == ArchitectureType.KNN) {
            return type + "[k " + effectiveNeighbours() + "]";
        }
        return type.languageModel()
                ? type + "[layers " + layers + ", heads " + heads + ", width " + width + ", context " + context + "]"
                : type + Objects.toString(hidden);
    }
}

package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.List;
import java.util.Objects;

/** A built-in network; every shard trains its own copy. */
public class ArchitectureSpec {

    @Default("mlp")
    @JsonPropertyDescription("mlp or cnn.")
    private ArchitectureType type = ArchitectureType.MLP;

    @JsonPropertyDescription("Widths of the hidden layers (mlp) or channels of the conv layers (cnn).")
    private List<Integer> hidden = List.of(256, 128);

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
        return other instanceof ArchitectureSpec o && type == o.type && Objects.equals(hidden, o.hidden);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, hidden);
    }

    @Override
    public String toString() {
        return type + Objects.toString(hidden);
    }
}

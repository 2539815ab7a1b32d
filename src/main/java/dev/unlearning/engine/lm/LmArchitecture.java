package dev.unlearning.engine.lm;

import dev.unlearning.api.ArchitectureSpec;

/**
 * The shape of a small decoder-only language model.
 *
 * @param layers transformer blocks
 * @param heads attention heads per block; must divide {@code width}
 * @param width embedding width
 * @param context the longest sequence in tokens (bytes, plus BOS)
 */
public record LmArchitecture(int layers, int heads, int width, int context) {

    public LmArchitecture {
        if (layers < 1 || heads < 1 || width < 1 || context < 2) {
            throw new IllegalArgumentException("layers, heads and width must be positive and context at least 2");
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by " + heads + " heads");
        }
    }

    /** The shape a transformer-lm spec asks for, its unset fields at their documented defaults. */
    public static LmArchitecture of(ArchitectureSpec spec) {
        if (!spec.getType().languageModel()) {
            throw new IllegalArgumentException(spec.getType() + " is not a language model");
        }
        return new LmArchitecture(orDefault(spec.getLayers(), ArchitectureSpec.DEFAULT_LAYERS),
                orDefault(spec.getHeads(), ArchitectureSpec.DEFAULT_HEADS),
                orDefault(spec.getWidth(), ArchitectureSpec.DEFAULT_WIDTH),
                spec.effectiveContext());
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}

package dev.unlearning.serving;

import dev.unlearning.engine.lm.GreedyDecoder;

/**
 * What answers completions for a loaded language-model version: in production its ensemble, greedily decoded;
 * a seam, like {@link Predictor}, so the endpoint can be tested without libtorch.
 */
@FunctionalInterface
public interface TextGenerator {

    /** The continuation of {@code prompt}; IllegalArgumentException when the prompt does not fit the context. */
    GreedyDecoder.Completion complete(String prompt, int maxTokens);
}

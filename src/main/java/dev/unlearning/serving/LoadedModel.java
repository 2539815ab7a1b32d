package dev.unlearning.serving;

import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.engine.lm.GreedyDecoder;
import dev.unlearning.engine.lm.LmEnsemble;
import dev.unlearning.store.VersionManifest;

/**
 * One model version in memory, ready to answer: a classifier through {@code predictor} (Open Inference Protocol
 * v2 tensors), a language model through {@code generator} (OpenAI-style completions); the other one is null.
 *
 * @param context a language model's context in tokens (0 for a classifier)
 */
public record LoadedModel(String name, int version, String digest, long[] inputShape, int classes, Predictor predictor,
        TextGenerator generator, int context) {

    /** A classifier version. */
    public LoadedModel(String name, int version, String digest, long[] inputShape, int classes, Predictor predictor) {
        this(name, version, digest, inputShape, classes, predictor, null, 0);
    }

    public static LoadedModel of(VersionManifest manifest, Ensemble ensemble) {
        return new LoadedModel(manifest.model(), manifest.version(), manifest.ensembleDigest(),
                manifest.layout().inputShape(), manifest.layout().classes(), ensemble::probabilities);
    }

    /** A language-model version, decoded greedily. */
    public static LoadedModel of(VersionManifest manifest, LmEnsemble ensemble) {
        GreedyDecoder decoder = new GreedyDecoder();
        return new LoadedModel(manifest.model(), manifest.version(), manifest.ensembleDigest(),
                manifest.layout().inputShape(), manifest.layout().classes(), null,
                (prompt, maxTokens) -> decoder.complete(ensemble, prompt, maxTokens), ensemble.context());
    }

    public boolean languageModel() {
        return generator != null;
    }

    public int featuresPerRecord() {
        int n = 1;
        for (long d : inputShape) {
            n *= (int) d;
        }
        return n;
    }
}

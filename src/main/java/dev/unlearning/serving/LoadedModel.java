package dev.unlearning.serving;

import dev.unlearning.engine.evaluation.Ensemble;
import dev.unlearning.store.VersionManifest;

/** One model version in memory, ready to answer. */
public record LoadedModel(String name, int version, String digest, long[] inputShape, int classes, Predictor predictor) {

    public static LoadedModel of(VersionManifest manifest, Ensemble ensemble) {
        return new LoadedModel(manifest.model(), manifest.version(), manifest.ensembleDigest(),
                manifest.layout().inputShape(), manifest.layout().classes(), ensemble::probabilities);
    }

    public int featuresPerRecord() {
        int n = 1;
        for (long d : inputShape) {
            n *= (int) d;
        }
        return n;
    }
}

package dev.unlearning.engine.evaluation;

import dev.unlearning.api.Aggregation;
import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.data.TextDatasets;
import dev.unlearning.engine.lm.LanguageModel;
import dev.unlearning.engine.lm.LmArchitecture;
import dev.unlearning.engine.lm.LmEnsemble;
import dev.unlearning.engine.lm.NextTokenModel;
import dev.unlearning.engine.lm.TextScores;
import dev.unlearning.engine.model.ModelState;
import dev.unlearning.engine.training.SampleLoop;
import dev.unlearning.store.ModelRepository;
import dev.unlearning.store.ShardEntry;
import dev.unlearning.store.VersionManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Measures a language-model version against a forget set, in the terms the classifier gate already uses, so
 * the same relative defaults judge it. A record's accuracy is its next-token accuracy, teacher-forced; the
 * look-alikes are the held-out records, texts of subjects the model never trained on (TOFU's never-seen
 * authors); the membership attack is min-k% probability. A model that no longer holds a subject knows its
 * texts no better than a never-seen subject's: the accuracy gap and the attack's advantage are then within
 * their chance allowances of zero.
 */
public final class TextEvaluator {

    /** Retain records scored, at most: a language model scores a few hundred texts a second on one core. */
    public static final int RETAIN_SAMPLE = 500;

    private final long seed;

    public TextEvaluator(long seed) {
        this.seed = seed;
    }

    /** The version's shards as one ensemble, combined as its layout says (MeanSoftmax: the mean distribution). */
    public static LmEnsemble load(ModelRepository repo, VersionManifest version)
            throws IOException, ModelState.CorruptModelException {
        LmArchitecture architecture = LmArchitecture.of(version.layout().architecture());
        List<LanguageModel> shards = new ArrayList<>();
        try {
            for (ShardEntry shard : version.shards()) {
                shards.add(LanguageModel.fromState(architecture, repo.blob(shard.modelDigest())));
            }
        } catch (IOException | ModelState.CorruptModelException | RuntimeException e) {
            shards.forEach(LanguageModel::close);
            throw e;
        }
        return new LmEnsemble(shards, version.layout().aggregation() == Aggregation.POSTERIOR
                ? LmEnsemble.Aggregation.POSTERIOR : LmEnsemble.Aggregation.MEAN);
    }

    public EvaluationReport evaluate(Integer version, String digest, NextTokenModel model, Splits splits,
            int[] forgetRows, int[] retainRows) {
        Random random = new Random(seed);
        int[] retainSample = SampleLoop.shuffled(retainRows, random);
        retainSample = Arrays.copyOf(retainSample, Math.min(retainSample.length, RETAIN_SAMPLE));
        int[] testRows = IntStream.range(0, splits.test().size()).toArray();
        TextScores forget = scores(model, splits.train(), forgetRows);
        TextScores retain = scores(model, splits.train(), retainSample);
        TextScores test = scores(model, splits.test(), testRows);
        double auc = Metrics.auc(forget.minKProbability(), test.minKProbability());
        return new EvaluationReport(version, digest, metrics(forget), metrics(retain), metrics(test),
                EvaluationReport.orNull(auc), null, null, null, null, null, lookAlike(forget, test, auc), null);
    }

    private static TextScores scores(NextTokenModel model, Dataset data, int[] rows) {
        return TextScores.of(model, TextDatasets.sequences(data, rows, 0, rows.length));
    }

    private static EvaluationReport.SetMetrics metrics(TextScores scores) {
        return new EvaluationReport.SetMetrics(scores.size(), EvaluationReport.orNull(mean(scores.tokenAccuracy())),
                EvaluationReport.orNull(-mean(scores.meanLogProbability())));
    }

    /**
     * Forget records against never-seen ones. The accuracy gap's allowance is {@link LookAlikeComparison#Z}
     * standard errors of a difference of two means drawn like the held-out records; the attack's is the
     * Mann-Whitney spread with no signal. Null (the gate fails closed) without forget or held-out records.
     */
    public static LookAlikeComparison lookAlike(TextScores forget, TextScores heldOut, double auc) {
        int n = forget.size();
        int m = heldOut.size();
        if (n == 0 || m == 0) {
            return null;
        }
        double lookAlike = mean(heldOut.tokenAccuracy());
        double variance = m < 2 ? 0.25 : Arrays.stream(heldOut.tokenAccuracy())
                .map(a -> (a - lookAlike) * (a - lookAlike)).sum() / (m - 1);
        double gapNoise = LookAlikeComparison.Z * Math.sqrt(variance * (1.0 / n + 1.0 / m));
        double aucNoise = LookAlikeComparison.Z * Math.sqrt((n + m + 1) / (12.0 * n * m));
        return new LookAlikeComparison(lookAlike, mean(forget.tokenAccuracy()) - lookAlike, gapNoise, auc - 0.5,
                aucNoise);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }
}

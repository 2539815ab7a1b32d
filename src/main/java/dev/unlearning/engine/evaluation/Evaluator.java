package dev.unlearning.engine.evaluation;

import dev.unlearning.engine.data.Dataset;
import dev.unlearning.engine.data.Splits;
import dev.unlearning.engine.training.SampleLoop;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Measures a model version against a forget set: accuracies on forget, retain and test records, two
 * membership-inference attacks, and the scenario extras (backdoor ASR, class accuracies). The test set is split
 * in two halves: one calibrates the logistic attack, the other serves as the non-members it is judged on.
 */
public final class Evaluator {

    /** How much of the retain set to score; all of it would cost a full pass over the training data. */
    public static final int RETAIN_SAMPLE = 5000;

    private final long seed;

    public Evaluator(long seed) {
        this.seed = seed;
    }

    public EvaluationReport evaluate(Integer version, String digest, Ensemble model, Splits splits, int[] forgetRows,
            int[] retainRows, Backdoor backdoor, Set<Integer> forgottenLabels) {
        Dataset train = splits.train();
        Dataset test = splits.test();
        Random random = new Random(seed);
        int[] retainSample = sample(retainRows, RETAIN_SAMPLE, random);
        int[] testRows = SampleLoop.shuffled(IntStream.range(0, test.size()).toArray(), random);

        Scored forget = Scored.of(model, train, forgetRows);
        Scored retain = Scored.of(model, train, retainSample);
        Scored testAll = Scored.of(model, test, testRows);
        // The halves are the shuffled test rows' own: scored once, not again.
        Scored calib = testAll.slice(0, testRows.length / 2);
        Scored outs = testAll.slice(testRows.length / 2, testRows.length);

        double lossAuc = Metrics.auc(negate(forget.losses), negate(outs.losses));
        double logisticAuc = Double.NaN;
        double memberRate = Double.NaN;
        if (forget.rows.length > 0 && calib.rows.length > 0 && retain.rows.length > 0) {
            int n = Math.min(retain.rows.length, calib.rows.length);
            double[][] x = new double[2 * n][];
            int[] y = new int[2 * n];
            for (int i = 0; i < n; i++) {
                x[i] = retain.features(i);
                y[i] = 1;
                x[n + i] = calib.features(i);
            }
            LogisticRegression attack = LogisticRegression.fit(x, y, 300, 0.5);
            double[] forgetScores = IntStream.range(0, forget.rows.length).mapToDouble(i -> attack.probability(forget.features(i))).toArray();
            double[] outScores = IntStream.range(0, outs.rows.length).mapToDouble(i -> attack.probability(outs.features(i))).toArray();
            logisticAuc = Metrics.auc(forgetScores, outScores);
            memberRate = Arrays.stream(forgetScores).filter(s -> s >= 0.5).count() / (double) forgetScores.length;
        }

        Backdoor.Excess excess = backdoor == null ? null : backdoor.excess(model, test).orElse(null);
        Double asr = excess == null ? null : excess.attackSuccessRate();
        Double forgottenClassAcc = null;
        Double otherClassesAcc = null;
        if (forgottenLabels != null && !forgottenLabels.isEmpty()) {
            forgottenClassAcc = EvaluationReport.orNull(testAll.accuracyWhere(test, forgottenLabels::contains));
            otherClassesAcc = EvaluationReport.orNull(testAll.accuracyWhere(test, l -> !forgottenLabels.contains(l)));
        }
        return new EvaluationReport(version, digest, forget.metrics(), retain.metrics(), testAll.metrics(),
                EvaluationReport.orNull(lossAuc), EvaluationReport.orNull(logisticAuc),
                EvaluationReport.orNull(memberRate), asr, forgottenClassAcc, otherClassesAcc,
                LookAlikeComparison.of(forget.probabilities, forget.labels, testAll.probabilities, testAll.labels)
                        .orElse(null), excess);
    }

    /** Predictions for a set of rows, with the per-record values the attacks use. */
    private record Scored(int[] rows, int[] labels, float[][] probabilities, double[] losses, double[] confidences,
            double[] entropies) {

        static Scored of(Ensemble model, Dataset data, int[] rows) {
            int[] labels = IntStream.of(rows).map(data::label).toArray();
            float[][] p = rows.length == 0 ? new float[0][] : model.probabilities(data, rows);
            return new Scored(rows, labels, p, Metrics.losses(p, labels), Metrics.confidences(p), Metrics.entropies(p));
        }

        Scored slice(int from, int to) {
            return new Scored(Arrays.copyOfRange(rows, from, to), Arrays.copyOfRange(labels, from, to),
                    Arrays.copyOfRange(probabilities, from, to), Arrays.copyOfRange(losses, from, to),
                    Arrays.copyOfRange(confidences, from, to), Arrays.copyOfRange(entropies, from, to));
        }

        double[] features(int i) {
            return new double[] {confidences[i], entropies[i], losses[i]};
        }

        EvaluationReport.SetMetrics metrics() {
            return new EvaluationReport.SetMetrics(rows.length, EvaluationReport.orNull(Metrics.accuracy(probabilities, labels)),
                    EvaluationReport.orNull(Arrays.stream(losses).average().orElse(Double.NaN)));
        }

        double accuracyWhere(Dataset data, IntPredicate labelFilter) {
            int[] chosen = IntStream.range(0, rows.length).filter(i -> labelFilter.test(labels[i])).toArray();
            if (chosen.length == 0) {
                return Double.NaN;
            }
            long correct = IntStream.of(chosen).filter(i -> Metrics.argMax(probabilities[i]) == labels[i]).count();
            return (double) correct / chosen.length;
        }
    }

    private static double[] negate(double[] values) {
        return Arrays.stream(values).map(v -> -v).toArray();
    }

    private static int[] sample(int[] rows, int max, Random random) {
        int[] copy = SampleLoop.shuffled(rows, random);
        return copy.length <= max ? copy : Arrays.copyOf(copy, max);
    }

}

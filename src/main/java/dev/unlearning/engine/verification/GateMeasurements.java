package dev.unlearning.engine.verification;

import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.engine.evaluation.EvaluationReport;
import dev.unlearning.engine.evaluation.LookAlikeComparison;
import java.util.EnumMap;
import java.util.Map;

/** The gate's metrics from an evaluation, shared by the finalize step and the benchmark that calibrates it. */
public final class GateMeasurements {

    private GateMeasurements() {
    }

    /** Every metric {@code r} has; {@link Metric#TEST_ACCURACY_DROP} needs the base version too, see {@link #withDrop}. */
    public static Measurements of(EvaluationReport r) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.FORGET_ACCURACY, r.forget().accuracy());
        values.put(Metric.RETAIN_ACCURACY, r.retain().accuracy());
        values.put(Metric.TEST_ACCURACY, r.test().accuracy());
        values.put(Metric.MIA_AUC, r.miaLossAuc());
        values.put(Metric.FORGOTTEN_CLASS_TEST_ACCURACY, r.forgottenClassTestAccuracy());
        values.put(Metric.OTHER_CLASSES_TEST_ACCURACY, r.otherClassesTestAccuracy());
        values.put(Metric.BACKDOOR_ASR, r.backdoorAsr());
        if (r.backdoorExcess() != null) {
            values.put(Metric.BACKDOOR_ASR_EXCESS, r.backdoorExcess().excess());
            values.put(Metric.BACKDOOR_ASR_EXCESS_NOISE, r.backdoorExcess().noise());
        }
        LookAlikeComparison lookAlike = r.lookAlike();
        if (lookAlike != null) {
            values.put(Metric.LOOK_ALIKE_ACCURACY, lookAlike.lookAlikeAccuracy());
            values.put(Metric.FORGET_ACCURACY_GAP, lookAlike.forgetAccuracyGap());
            values.put(Metric.FORGET_ACCURACY_GAP_NOISE, lookAlike.forgetAccuracyGapNoise());
            values.put(Metric.MIA_ADVANTAGE, lookAlike.miaAdvantage());
            values.put(Metric.MIA_ADVANTAGE_NOISE, lookAlike.miaAdvantageNoise());
        }
        return new Measurements(values);
    }

    /**
     * {@code after} with its test-accuracy drop from {@code before}, over the classes the request keeps:
     * forgetting a class costs its own test records by design, which is not a loss of utility. Absent when
     * either side could not be measured, so a maxTestAccuracyDrop gate fails closed.
     */
    public static Measurements withDrop(Measurements before, Measurements after, boolean classRequest) {
        Metric kept = classRequest ? Metric.OTHER_CLASSES_TEST_ACCURACY : Metric.TEST_ACCURACY;
        Double was = before.get(kept);
        Double is = after.get(kept);
        return after.with(Metric.TEST_ACCURACY_DROP, was == null || is == null ? null : was - is);
    }
}

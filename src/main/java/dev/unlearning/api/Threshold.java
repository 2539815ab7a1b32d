package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A verification threshold: which metric it bounds, from which side, and where the spec holds it. A relative
 * threshold also names the metric that says how far its measurement can stray by chance at the sample sizes
 * measured: the limit is widened by that much, so an exact retrain of a handful of records is not failed by
 * coin flips, and the widening is itself a measured value in the certificate, never a hidden constant.
 */
public enum Threshold {
    MAX_FORGET_ACCURACY("maxForgetAccuracy", Metric.FORGET_ACCURACY, null, Bound.MAX,
            VerificationSpec::getMaxForgetAccuracy, VerificationSpec::setMaxForgetAccuracy),
    MAX_MIA_AUC("maxMiaAuc", Metric.MIA_AUC, null, Bound.MAX, VerificationSpec::getMaxMiaAuc,
            VerificationSpec::setMaxMiaAuc),
    MIN_TEST_ACCURACY("minTestAccuracy", Metric.TEST_ACCURACY, null, Bound.MIN,
            VerificationSpec::getMinTestAccuracy, VerificationSpec::setMinTestAccuracy),
    MAX_BACKDOOR_ASR("maxBackdoorAsr", Metric.BACKDOOR_ASR, null, Bound.MAX,
            VerificationSpec::getMaxBackdoorAsr, VerificationSpec::setMaxBackdoorAsr),
    MAX_FORGET_ACCURACY_GAP("maxForgetAccuracyGap", Metric.FORGET_ACCURACY_GAP, Metric.FORGET_ACCURACY_GAP_NOISE,
            Bound.MAX, VerificationSpec::getMaxForgetAccuracyGap, VerificationSpec::setMaxForgetAccuracyGap),
    MAX_MIA_ADVANTAGE("maxMiaAdvantage", Metric.MIA_ADVANTAGE, Metric.MIA_ADVANTAGE_NOISE, Bound.MAX,
            VerificationSpec::getMaxMiaAdvantage, VerificationSpec::setMaxMiaAdvantage),
    MAX_TEST_ACCURACY_DROP("maxTestAccuracyDrop", Metric.TEST_ACCURACY_DROP, null, Bound.MAX,
            VerificationSpec::getMaxTestAccuracyDrop, VerificationSpec::setMaxTestAccuracyDrop),
    MAX_BACKDOOR_ASR_EXCESS("maxBackdoorAsrExcess", Metric.BACKDOOR_ASR_EXCESS, Metric.BACKDOOR_ASR_EXCESS_NOISE,
            Bound.MAX, VerificationSpec::getMaxBackdoorAsrExcess, VerificationSpec::setMaxBackdoorAsrExcess),
    MAX_FORGOTTEN_CLASS_TEST_ACCURACY("maxForgottenClassTestAccuracy", Metric.FORGOTTEN_CLASS_TEST_ACCURACY, null,
            Bound.MAX, VerificationSpec::getMaxForgottenClassTestAccuracy,
            VerificationSpec::setMaxForgottenClassTestAccuracy);

    /** Which side of the limit passes. */
    public enum Bound {
        MAX, MIN
    }

    private final String key;
    private final Metric metric;
    private final Metric noise;
    private final Bound bound;
    private final Function<VerificationSpec, Double> getter;
    private final BiConsumer<VerificationSpec, Double> setter;

    Threshold(String key, Metric metric, Metric noise, Bound bound, Function<VerificationSpec, Double> getter,
            BiConsumer<VerificationSpec, Double> setter) {
        this.key = key;
        this.metric = metric;
        this.noise = noise;
        this.bound = bound;
        this.getter = getter;
        this.setter = setter;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public Metric metric() {
        return metric;
    }

    public Bound bound() {
        return bound;
    }

    /**
     * Whether this threshold checks forgetting (rather than utility): an approximate method's candidate is only
     * evidenced as having forgotten when such a check fails on the base version and passes on the candidate.
     */
    public boolean forgetting() {
        return this != MIN_TEST_ACCURACY && this != MAX_TEST_ACCURACY_DROP;
    }

    /** The metric that widens this threshold for chance at the measured sample sizes; null for absolute ones. */
    public Metric noise() {
        return noise;
    }

    /** The limit the spec sets, or null when it sets none. */
    public Double limit(VerificationSpec spec) {
        return spec == null ? null : getter.apply(spec);
    }

    public void setLimit(VerificationSpec spec, Double limit) {
        setter.accept(spec, limit);
    }

    /** Whether {@code measured} is within {@code limit} widened by {@code allowance} (0 for absolute thresholds). */
    public boolean passes(double measured, double limit, double allowance) {
        return bound == Bound.MAX ? measured <= limit + allowance : measured >= limit - allowance;
    }

    /** The stricter of two limits; null when neither is set. */
    public Double stricter(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return bound == Bound.MAX ? Math.min(a, b) : Math.max(a, b);
    }

    @JsonCreator
    public static Threshold ofKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown threshold " + key + "; known: "
                        + Arrays.stream(values()).map(Threshold::key).toList()));
    }
}

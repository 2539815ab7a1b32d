package dev.unlearning.api.worker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.unlearning.api.VerificationSpec;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** A verification threshold: which metric it bounds, from which side, and where the spec holds it. */
public enum Threshold {
    MAX_FORGET_ACCURACY("maxForgetAccuracy", Metric.FORGET_ACCURACY, Bound.MAX,
            VerificationSpec::getMaxForgetAccuracy, VerificationSpec::setMaxForgetAccuracy),
    MAX_MIA_AUC("maxMiaAuc", Metric.MIA_AUC, Bound.MAX, VerificationSpec::getMaxMiaAuc, VerificationSpec::setMaxMiaAuc),
    MIN_TEST_ACCURACY("minTestAccuracy", Metric.TEST_ACCURACY, Bound.MIN,
            VerificationSpec::getMinTestAccuracy, VerificationSpec::setMinTestAccuracy),
    MAX_BACKDOOR_ASR("maxBackdoorAsr", Metric.BACKDOOR_ASR, Bound.MAX,
            VerificationSpec::getMaxBackdoorAsr, VerificationSpec::setMaxBackdoorAsr);

    /** Which side of the limit passes. */
    public enum Bound {
        MAX, MIN
    }

    private final String key;
    private final Metric metric;
    private final Bound bound;
    private final Function<VerificationSpec, Double> getter;
    private final BiConsumer<VerificationSpec, Double> setter;

    Threshold(String key, Metric metric, Bound bound, Function<VerificationSpec, Double> getter,
            BiConsumer<VerificationSpec, Double> setter) {
        this.key = key;
        this.metric = metric;
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

    /** The limit the spec sets, or null when it sets none. */
    public Double limit(VerificationSpec spec) {
        return spec == null ? null : getter.apply(spec);
    }

    public void setLimit(VerificationSpec spec, Double limit) {
        setter.accept(spec, limit);
    }

    public boolean passes(double measured, double limit) {
        return bound == Bound.MAX ? measured <= limit : measured >= limit;
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

package dev.unlearning.engine.verification;

import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Threshold;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The verification gate a candidate version must pass before it is published. It fails closed: a threshold
 * that is set but whose metric, or the chance allowance a relative threshold is widened by, was not measured
 * is a failure, since an unchecked threshold is not a met one.
 */
public final class Gate {

    private Gate() {
    }

    /**
     * The gate of a run: {@link #failures(VerificationSpec, Measurements)} on the candidate and, for an approximate
     * method, the evidence that it forgot: at least one forgetting threshold must fail on the base version. When
     * the base version passes every one, each is a failure naming the base's value ({@link
     * GateFailure#baseAlreadyPassed()}). Exact runs need no such evidence: they retrain from checkpoints whose
     * memberships hold none of the records, which the finalize step checks shard by shard.
     */
    public static List<GateFailure> failures(VerificationSpec thresholds, Measurements base, Measurements candidate,
            boolean exact) {
        List<GateFailure> failures = failures(thresholds, candidate);
        if (exact) {
            return failures;
        }
        List<Threshold> forgetting = Arrays.stream(Threshold.values())
                .filter(t -> t.forgetting() && t.limit(thresholds) != null).toList();
        List<GateFailure> onBase = failures(thresholds, base);
        // Only a measured miss is evidence: a base version that could not be measured shows nothing.
        boolean evidenced = onBase.stream().anyMatch(f -> f.threshold().forgetting() && f.measured() != null
                && (f.threshold().noise() == null || f.allowance() != null));
        if (!evidenced) {
            for (Threshold threshold : forgetting) {
                failures.add(new GateFailure(threshold, base.get(threshold.metric()), threshold.limit(thresholds),
                        threshold.noise() == null ? null : base.get(threshold.noise()), true));
            }
        }
        return failures;
    }

    /** The thresholds {@code measured} misses, in {@link Threshold} order; empty when it passes. */
    public static List<GateFailure> failures(VerificationSpec thresholds, Measurements measured) {
        List<GateFailure> failures = new ArrayList<>();
        for (Threshold threshold : Threshold.values()) {
            Double limit = threshold.limit(thresholds);
            if (limit == null) {
                continue;
            }
            Double value = measured.get(threshold.metric());
            Double allowance = threshold.noise() == null ? Double.valueOf(0) : measured.get(threshold.noise());
            if (value == null || allowance == null || !threshold.passes(value, limit, allowance)) {
                failures.add(new GateFailure(threshold, value, limit, threshold.noise() == null ? null : allowance));
            }
        }
        return failures;
    }
}

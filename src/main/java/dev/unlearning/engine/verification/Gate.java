package dev.unlearning.engine.verification;

import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.worker.Threshold;
import java.util.ArrayList;
import java.util.List;

/**
 * The verification gate a candidate version must pass before it is published. It fails closed: a threshold
 * that is set but whose metric was not measured is a failure, since an unchecked threshold is not a met one.
 */
public final class Gate {

    private Gate() {
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
            if (value == null || !threshold.passes(value, limit)) {
                failures.add(new GateFailure(threshold, value, limit));
            }
        }
        return failures;
    }
}

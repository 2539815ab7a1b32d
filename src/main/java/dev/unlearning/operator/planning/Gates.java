package dev.unlearning.operator.planning;

import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.Threshold;
import java.util.ArrayList;
import java.util.List;

/** The verification gate of a run: for every threshold, the strictest the model and any of its requests set. */
public final class Gates {

    private Gates() {
    }

    public static VerificationSpec merge(VerificationSpec model, List<VerificationSpec> requests) {
        List<VerificationSpec> all = new ArrayList<>();
        all.add(model);
        all.addAll(requests);
        VerificationSpec gate = new VerificationSpec();
        for (Threshold threshold : Threshold.values()) {
            Double limit = null;
            for (VerificationSpec spec : all) {
                limit = threshold.stricter(limit, threshold.limit(spec));
            }
            threshold.setLimit(gate, limit);
        }
        return gate;
    }
}

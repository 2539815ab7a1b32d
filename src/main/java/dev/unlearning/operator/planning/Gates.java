package dev.unlearning.operator.planning;

import dev.unlearning.api.DatasetFormat;
import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningRequestSpec;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The verification gate of a run: for every threshold, the strictest the model and any of its requests set. */
public final class Gates {

    private Gates() {
    }

    /**
     * Why a request's gate could never be evaluated on its model, if it could not: an unmeasurable threshold
     * would fail every run (the gate fails closed), so the request is refused at once with the reason instead.
     */
    public static Optional<String> unmeasurable(ShardedModelSpec model, UnlearningRequestSpec request) {
        VerificationSpec gate = merge(model.getVerification(), request.getVerification() == null ? List.of()
                : List.of(request.getVerification()));
        DatasetSpec data = model.getDataset();
        boolean csv = data != null && data.getFormat() == DatasetFormat.CSV;
        List<String> problems = new ArrayList<>();
        if (csv && data.getTestUri() == null) {
            for (Threshold threshold : List.of(Threshold.MIN_TEST_ACCURACY, Threshold.MAX_MIA_AUC)) {
                if (threshold.limit(gate) != null) {
                    problems.add(threshold.key() + " is measured on held-out data, and the model's csv dataset has "
                            + "no testUri");
                }
            }
        }
        if (request.getBackdoorTrigger() != null && csv) {
            problems.add("backdoorTrigger stamps images, and the model's data is csv");
        }
        if (Threshold.MAX_BACKDOOR_ASR.limit(gate) != null && request.getBackdoorTrigger() == null) {
            problems.add("maxBackdoorAsr needs the request's backdoorTrigger to measure it with");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
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

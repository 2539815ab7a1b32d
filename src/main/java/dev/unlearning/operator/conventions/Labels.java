package dev.unlearning.operator.conventions;

import java.util.Map;

/** Labels on every object the operator creates, so it (and people) can find them. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "unlearning-operator";
    public static final String MODEL = "unlearning.dev/model";
    public static final String RUN = "unlearning.dev/run";
    public static final String ROLE = "unlearning.dev/role";
    public static final String VERSION = "unlearning.dev/version";
    /** On a dataset's ledger entries: the digest of the dataset's URI (see ForgetLedger.nameFor). */
    public static final String DATASET = "unlearning.dev/dataset";
    /** On a request made for one model by a datasetRef request: the uid of that request. */
    public static final String DATASET_REQUEST = "unlearning.dev/dataset-request";

    private Labels() {
    }

    public static Map<String, String> of(String model, String run, String role) {
        return Map.of(MANAGED_BY, OPERATOR, MODEL, model, RUN, run, ROLE, role);
    }
}

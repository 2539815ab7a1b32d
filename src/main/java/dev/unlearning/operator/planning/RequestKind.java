package dev.unlearning.operator.planning;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.UnlearningRequestSpec;

/** What a request asks to forget, as far as choosing a method goes: the rows of the Auto routing table. */
public enum RequestKind {
    /** Records named by id, digest or list. */
    RECORDS,
    /** Every record of some data subjects. */
    SUBJECT,
    /** Every record of some classes. */
    CLASS,
    /** Poisoned records whose trigger the request names (backdoorTrigger), whatever selects them. */
    CANARY,
    /** Records an outlier detector finds (forget.outliers): suspected poison or label noise. */
    OUTLIERS;

    public static RequestKind of(UnlearningRequestSpec spec) {
        if (spec.getBackdoorTrigger() != null) {
            return CANARY;
        }
        ForgetSelector forget = spec.getForget();
        if (forget != null && forget.getOutliers() != null) {
            return OUTLIERS;
        }
        if (forget != null && forget.getLabels() != null) {
            return CLASS;
        }
        if (forget != null && (forget.getSubjects() != null || forget.getSubjectDigests() != null)) {
            return SUBJECT;
        }
        return RECORDS;
    }
}

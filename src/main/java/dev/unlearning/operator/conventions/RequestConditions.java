package dev.unlearning.operator.conventions;

import dev.unlearning.api.UnlearningRequest;

/** Condition types and reasons of UnlearningRequest, in one place so tests and GitOps checks agree. */
public final class RequestConditions {
    public static final String ACCEPTED = "Accepted";
    public static final String PLANNED = "Planned";
    public static final String UNLEARNING = "Unlearning";
    public static final String VERIFIED = "Verified";
    public static final String ROLLED_OUT = "RolledOut";
    /** The effect of the records is gone from the served version (verified); exact or approximate. */
    public static final String FORGOTTEN = "Forgotten";
    /** Forgotten approximately: the exact retrain that replaces the version is still owed. */
    public static final String EXACT_PENDING = "ExactPending";
    /** Every version and artifact that held the request's records is gone from the store. */
    public static final String ERASED = "Erased";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    /** An API error kept the operator from reconciling the request; cleared by the next successful pass. */
    public static final String DEGRADED = "Degraded";
    /** The Job this request needs waits in a Kueue queue for quota (copied from the model's Queued). */
    public static final String QUEUED = "Queued";
    /**
     * A dry run's detector ran (True) or is running (False, reason Detecting). A dry run ends here, never at
     * Complete, which promises that the records are forgotten.
     */
    public static final String DETECTED = "Detected";

    private RequestConditions() {
    }

    public static boolean isTrue(UnlearningRequest request, String type) {
        return request.getStatus() != null && request.getStatus().condition(type)
                .map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }

    /** Complete, Failed, or a dry run that reported: nothing will change the request any more. */
    public static boolean ended(UnlearningRequest request) {
        return isTrue(request, COMPLETE) || isTrue(request, FAILED)
                || (request.getSpec() != null && request.getSpec().dryRun() && isTrue(request, DETECTED));
    }
}

package dev.unlearning.operator;

/** Condition types and reasons of UnlearningRequest, in one place so tests and GitOps checks agree. */
public final class RequestConditions {
    public static final String ACCEPTED = "Accepted";
    public static final String PLANNED = "Planned";
    public static final String UNLEARNING = "Unlearning";
    public static final String VERIFIED = "Verified";
    public static final String ROLLED_OUT = "RolledOut";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

    private RequestConditions() {
    }
}

package dev.unlearning.operator.status;

import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.RequestConditions;

/**
 * One word for where a request is, for {@code kubectl get}: read off its conditions (the conditions stay the
 * truth; this is their summary, never set on its own).
 */
public final class RequestPhase {

    private RequestPhase() {
    }

    public static String of(UnlearningRequestStatus status) {
        if (is(status, RequestConditions.FAILED)) {
            return "Failed";
        }
        if (is(status, RequestConditions.DETECTED)) {
            return "Reported";
        }
        if (status.condition(RequestConditions.DETECTED).isPresent()) {
            return "Detecting";
        }
        if (is(status, RequestConditions.COMPLETE)) {
            return "Complete";
        }
        if (is(status, RequestConditions.EXACT_PENDING)) {
            return "ExactPending";
        }
        if (is(status, RequestConditions.QUEUED)) {
            return "WaitingForQuota";
        }
        if (is(status, RequestConditions.ROLLED_OUT)) {
            return "Erasing";
        }
        if (is(status, RequestConditions.VERIFIED)) {
            return "RollingOut";
        }
        if (is(status, RequestConditions.UNLEARNING)) {
            return "Unlearning";
        }
        if (is(status, RequestConditions.PLANNED)) {
            return "Planned";
        }
        if (is(status, RequestConditions.ACCEPTED)) {
            return "Accepted";
        }
        return status.condition(RequestConditions.ACCEPTED).isPresent() ? "NotAccepted" : "Pending";
    }

    private static boolean is(UnlearningRequestStatus status, String type) {
        return status.condition(type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}

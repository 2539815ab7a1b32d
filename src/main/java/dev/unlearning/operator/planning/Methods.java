package dev.unlearning.operator.planning;

import dev.unlearning.api.UnlearningMethod;
import java.util.Map;

/**
 * How a request's method and its model's default resolve to the concrete method of a run. A request that says
 * Auto gets the model's own method if the model names one, else the {@link #AUTO_ROUTE} for its kind; when that
 * first attempt is approximate and misses the gate, the run falls back to Exact.
 */
public final class Methods {

    /**
     * Auto's first attempt per request kind, from the unlearning benchmark's default-gate table (README, "Auto
     * routing"): a kind goes to an approximate method only when one passed the default gate there. None did:
     * on random records and subjects the gate cannot tell even the original model from a retrain, so nothing
     * could evidence an approximate method (it would fail, then retrain anyway); on a whole class the
     * approximate methods cost the other classes more than maxTestAccuracyDrop (SCRUB+R 2.6, NegGrad+ 8.7
     * points); on backdoor canaries the trigger still works on them (attack success 17–69% against a retrain's
     * 1%).
     */
    public static final Map<RequestKind, UnlearningMethod> AUTO_ROUTE = Map.of(
            RequestKind.RECORDS, UnlearningMethod.EXACT,
            RequestKind.SUBJECT, UnlearningMethod.EXACT,
            RequestKind.CLASS, UnlearningMethod.EXACT,
            RequestKind.CANARY, UnlearningMethod.EXACT);

    private Methods() {
    }

    public static UnlearningMethod effective(UnlearningMethod modelDefault, UnlearningMethod requested,
            RequestKind kind) {
        if (requested != UnlearningMethod.AUTO) {
            return requested;
        }
        return modelDefault != UnlearningMethod.AUTO ? modelDefault : AUTO_ROUTE.get(kind);
    }

    /** A request that says Auto falls back to Exact when its first attempt, if approximate, misses the gate. */
    public static boolean isAuto(UnlearningMethod requested) {
        return requested == UnlearningMethod.AUTO;
    }
}

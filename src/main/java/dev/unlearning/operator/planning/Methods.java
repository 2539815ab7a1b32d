package dev.unlearning.operator.planning;

import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.UnlearningMethod;
import java.util.Map;

/**
 * How a request's method and its model's default resolve to the concrete method of a run. A request that says
 * Auto gets the model's own method if the model names one, else the {@link #AUTO_ROUTE} for its kind; when that
 * first attempt is approximate and misses the gate, the run falls back to Exact.
 */
public final class Methods {

    /**
     * Auto's first attempt per request kind, from the unlearning benchmark over three seeds (README, "Auto
     * routing"): a kind goes to an approximate method only when one passed the default gate on every seed and
     * costs less than Exact. On random records and subjects the gate cannot tell even the original model from
     * a retrain, so nothing could evidence an approximate method (it would fail, then retrain anyway). On a whole
     * class SalUn passed on every seed (0.0% on the class, the other classes within 0.3 points of the retrain;
     * the class default maxForgottenClassTestAccuracy is its evidence) at 0.39-0.48 of a full retrain's wall
     * time, where Exact costs about a full retrain (a class touches every shard). On backdoor canaries NegGrad+
     * passed on every seed (attack success 0.2-0.8% against the retrain's 0.7-1.1%, test accuracy within 0.8
     * points) at 0.33-0.49 of a full retrain's wall time, where Exact costs 1.09-1.22.
     */
    public static final Map<RequestKind, UnlearningMethod> AUTO_ROUTE = Map.of(
            RequestKind.RECORDS, UnlearningMethod.EXACT,
            RequestKind.SUBJECT, UnlearningMethod.EXACT,
            RequestKind.CLASS, UnlearningMethod.SALUN,
            RequestKind.CANARY, UnlearningMethod.NEG_GRAD_PLUS,
            // No measurement yet says an approximate method forgets detected outliers well enough: Exact.
            RequestKind.OUTLIERS, UnlearningMethod.EXACT);

    private Methods() {
    }

    public static UnlearningMethod effective(UnlearningMethod modelDefault, UnlearningMethod requested,
            RequestKind kind) {
        if (requested != UnlearningMethod.AUTO) {
            return requested;
        }
        return modelDefault != UnlearningMethod.AUTO ? modelDefault : AUTO_ROUTE.get(kind);
    }

    /**
     * The same for a model: a family that unlearns only exactly (knn, whose index simply drops the records)
     * routes Auto to Exact for every kind, since nothing could be cheaper.
     */
    public static UnlearningMethod effective(ShardedModelSpec model, UnlearningMethod requested, RequestKind kind) {
        if (requested == UnlearningMethod.AUTO && model.getArchitecture() != null
                && model.getArchitecture().getType().exactOnly()) {
            return UnlearningMethod.EXACT;
        }
        return effective(model.getUnlearning().getMethod(), requested, kind);
    }

    /** A request that says Auto falls back to Exact when its first attempt, if approximate, misses the gate. */
    public static boolean isAuto(UnlearningMethod requested) {
        return requested == UnlearningMethod.AUTO;
    }
}

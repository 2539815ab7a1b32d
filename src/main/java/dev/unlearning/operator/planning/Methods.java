package dev.unlearning.operator.planning;

import dev.unlearning.api.UnlearningMethod;

/** How a request's method and its model's default resolve to the concrete method of a run. */
public final class Methods {

    /** The cheapest approximate method in the benchmark (README): Auto's first attempt. */
    public static final UnlearningMethod AUTO_FIRST = UnlearningMethod.NEG_GRAD_PLUS;

    private Methods() {
    }

    public static UnlearningMethod effective(UnlearningMethod modelDefault, UnlearningMethod requested) {
        UnlearningMethod method = requested == UnlearningMethod.AUTO ? modelDefault : requested;
        return method == UnlearningMethod.AUTO ? AUTO_FIRST : method;
    }

    /** Auto falls back to Exact only when neither the request nor the model chose a concrete method. */
    public static boolean isAuto(UnlearningMethod modelDefault, UnlearningMethod requested) {
        return requested == UnlearningMethod.AUTO && modelDefault == UnlearningMethod.AUTO;
    }
}

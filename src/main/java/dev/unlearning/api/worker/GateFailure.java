package dev.unlearning.api.worker;

/**
 * A threshold a candidate missed. {@code measured} is null when the metric could not be measured: the gate
 * fails closed then, since an unmeasured threshold is not a met one.
 */
public record GateFailure(Threshold threshold, Double measured, double limit) {

    public String describe() {
        if (measured == null) {
            return threshold.metric().key() + " was not measured, so " + threshold.key() + " " + limit
                    + " cannot be checked";
        }
        return String.format("%s %.4f %s %.4f", threshold.metric().key(), measured,
                threshold.bound() == Threshold.Bound.MAX ? ">" : "<", limit);
    }
}

package dev.unlearning.api.worker;

import dev.unlearning.api.Threshold;

/**
 * A threshold a candidate missed. {@code measured} is null when the metric could not be measured: the gate
 * fails closed then, since an unmeasured threshold is not a met one. {@code allowance} is how far the limit was
 * widened for chance (see {@link Threshold#noise()}); null for an absolute threshold, or when the allowance
 * itself could not be measured, which fails the threshold too.
 *
 * <p>{@code baseAlreadyPassed}: an approximate candidate whose every forgetting check the base version passed
 * too. Those checks cannot tell what was forgotten (too few records, or records a well-generalising model knew
 * no better than unseen ones), so nothing evidences the approximate method; {@code measured} and
 * {@code allowance} are then the base version's.
 */
public record GateFailure(Threshold threshold, Double measured, double limit, Double allowance,
        boolean baseAlreadyPassed) {

    public GateFailure(Threshold threshold, Double measured, double limit, Double allowance) {
        this(threshold, measured, limit, allowance, false);
    }

    public GateFailure(Threshold threshold, Double measured, double limit) {
        this(threshold, measured, limit, null, false);
    }

    public String describe() {
        if (measured == null) {
            return threshold.metric().key() + " was not measured, so " + threshold.key() + " " + limit
                    + " cannot be checked";
        }
        if (threshold.noise() != null && allowance == null) {
            return threshold.noise().key() + " was not measured, so " + threshold.key() + " " + limit
                    + " cannot be checked";
        }
        String bound = threshold.bound() == Threshold.Bound.MAX ? ">" : "<";
        String limitText = allowance == null || allowance == 0 ? String.format("%.4f", limit)
                : String.format("%.4f %s %.4f (%s)", limit, threshold.bound() == Threshold.Bound.MAX ? "+" : "-",
                        allowance, threshold.noise().key());
        if (baseAlreadyPassed) {
            return String.format("%s was already %.4f, within %s, before unlearning: it cannot show that an "
                    + "approximate method forgot anything (Exact can)", threshold.metric().key(), measured, limitText);
        }
        return String.format("%s %.4f %s %s", threshold.metric().key(), measured, bound, limitText);
    }
}

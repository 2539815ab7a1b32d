package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The thresholds a model's gate holds when its spec leaves them unset. Relative defaults judge forgetting
 * against look-alike unseen data rather than against absolute numbers, which for random records either pass
 * the original model (it scores ~85% on unseen records too) or fail an exact retrain. The values, and the
 * measurements behind them, are in the README's verification section.
 */
public enum GateDefaults {
    /** {@link #RELATIVE_LIMITS} for every threshold the model leaves unset. */
    @JsonProperty("Relative")
    RELATIVE,
    /** Only the thresholds set explicitly; for data without a held-out split, where relative ones cannot be measured. */
    @JsonProperty("None")
    NONE;

    /**
     * Forget accuracy at most 2 points above look-alike accuracy: Fashion-MNIST's training records score about
     * a point above its test records on a model that never saw either. Loss-attack AUC at most 0.05 above chance:
     * an exact retrain measured up to 0.03 against look-alikes. Test accuracy at most 2 points below the base
     * version: three times the seed-to-seed spread (±0.6) of a retrain. Relative limits are widened further
     * by their measured chance allowance ({@link Threshold#noise()}).
     */
    public static final Map<Threshold, Double> RELATIVE_LIMITS = Map.of(
            Threshold.MAX_FORGET_ACCURACY_GAP, 0.02,
            Threshold.MAX_MIA_ADVANTAGE, 0.05,
            Threshold.MAX_TEST_ACCURACY_DROP, 0.02);

    /**
     * For runs whose requests carry a backdoor trigger: the trigger may add at most 2 points to how often
     * held-out images are sent to the target class, which is where a model that never saw the canaries sits
     * (a retrain's attack success rate is about the untriggered rate). Without a trigger it cannot be measured.
     */
    public static final Map<Threshold, Double> CANARY_LIMITS = Map.of(Threshold.MAX_BACKDOOR_ASR_EXCESS, 0.02);

    /**
     * For runs whose requests forget labels: held-out accuracy on those classes at most 2%. The relative checks
     * cannot tell a class apart (a model that knows trousers knows unseen trousers just as well, so the gap to
     * look-alikes is near zero before and after), while a model that never saw a class never names it: an
     * exact retrain scores 0 on it (unlearning benchmark, scenario e).
     */
    public static final Map<Threshold, Double> CLASS_LIMITS = Map.of(Threshold.MAX_FORGOTTEN_CLASS_TEST_ACCURACY, 0.02);

    /** What a run forgets, as far as which default thresholds can be measured on it. */
    public record RunKind(boolean canaries, boolean classes) {
        public static final RunKind RECORDS = new RunKind(false, false);
    }

    /** The default limit for {@code threshold} in a run of this kind; null when none. */
    public Double limit(Threshold threshold, RunKind run) {
        if (this != RELATIVE) {
            return null;
        }
        Double limit = RELATIVE_LIMITS.get(threshold);
        if (limit == null && run.canaries()) {
            limit = CANARY_LIMITS.get(threshold);
        }
        return limit == null && run.classes() ? CLASS_LIMITS.get(threshold) : limit;
    }
}

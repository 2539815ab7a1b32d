package dev.unlearning.engine.unlearning;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Knobs of the approximate methods. Each method follows its authors' procedure; the values were tuned on a
 * validation split carved from Fashion-MNIST's training data (README, "The engine"), never on the
 * benchmark's test set.
 *
 * @param learningRate SGD learning rate of NegGrad+ and fine-tuning
 * @param scrubLearningRate SCRUB's SGD learning rate (its authors: one SGD optimiser with momentum and weight
 *     decay for both of its passes); lower than the others', since its max pass ascends without bound
 * @param momentum SGD momentum
 * @param weightDecay SGD weight decay
 * @param batchSize retain batch size
 * @param forgetBatchSize forget batch size (SCRUB's max pass; NegGrad+'s forget batches)
 * @param scrubEpochs SCRUB epochs; each makes one full pass over the shard's retain data
 * @param scrubMaxEpochs SCRUB: the first epochs, each of which starts with a max (forget) pass
 * @param scrubLearningRateCut SCRUB: factor on the learning rate once the max epochs are over, so the
 *     remaining min epochs repair rather than move
 * @param scrubAlpha SCRUB: weight of the retain distillation term
 * @param scrubGamma SCRUB: weight of the retain cross-entropy term
 * @param temperature SCRUB: distillation temperature
 * @param scrubGradientClip SCRUB: each gradient element is clipped to this magnitude (its authors' 0.2; 0: none),
 *     which bounds the max pass's ascent, whose loss has no upper limit
 * @param rewind SCRUB+R: keep the epoch whose forget error best matches the error on held-out look-alikes;
 *     for record and subject requests only: a class must be forgotten outright, and where labels may be
 *     poisoned the look-alikes' error is the wrong target (it selects the least forgotten epoch)
 * @param rewindFloor SCRUB+R: an epoch is a candidate only if its retain and held-out accuracy stay within
 *     this much of the original's
 * @param negGradEpochs NegGrad+: full passes over the retain data, each paired with forget batches
 * @param negGradAlpha NegGrad+: weight of the retain term (1 - alpha on the ascent of the forget term)
 * @param fineTuneEpochs fine-tuning: full passes over the retain data
 * @param ssdAlpha SSD: a parameter is dampened when its importance on the forget set exceeds alpha times
 *     its importance on the shard's training data
 * @param ssdLambda SSD: dampening strength (the factor is min(lambda x data importance / forget importance, 1))
 * @param ssdDataSample SSD: training rows the data importance is estimated from (0: all the shard's rows); an
 *     importance is a mean over batches, so a sample estimates it at a fraction of a pass's cost
 * @param salunLearningRate SalUn: SGD learning rate of its random-labelling passes
 * @param salunEpochs SalUn: passes over the retain rows mixed with the randomly relabelled forget rows
 * @param salunSparsity SalUn: fraction of all weights, those with the largest forget-loss gradient, that it
 *     updates (its authors' 0.5)
 */
public record ApproximateSettings(double learningRate, double scrubLearningRate, double momentum, double weightDecay,
        int batchSize, int forgetBatchSize, int scrubEpochs, int scrubMaxEpochs, double scrubLearningRateCut, double scrubAlpha,
        double scrubGamma, double temperature, double scrubGradientClip, boolean rewind, double rewindFloor, int negGradEpochs,
        double negGradAlpha, int fineTuneEpochs, double ssdAlpha, double ssdLambda, int ssdDataSample,
        double salunLearningRate, int salunEpochs, double salunSparsity) {

    public static ApproximateSettings defaults() {
        return new ApproximateSettings(0.03, 0.005, 0.9, 5e-4, 64, 16, 3, 2, 0.1, 0.001, 0.99, 4.0, 0.2, true, 0.01, 2,
                0.99, 2, 30.0, 1.0, 1024, 0.03, 2, 0.5);
    }

    public ApproximateSettings withoutRewind() {
        return with(name -> name.equals("rewind") ? "false" : null);
    }

    /** Defaults overridden by system properties {@code unlearning.approx.<component>}, for tuning runs. */
    public static ApproximateSettings fromSystemProperties() {
        return defaults().with(name -> System.getProperty("unlearning.approx." + name));
    }

    /** A copy with the components {@code overrides} names (by component name; null: keep) replaced. */
    public ApproximateSettings with(Function<String, String> overrides) {
        RecordComponent[] components = ApproximateSettings.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                String override = overrides.apply(c.getName());
                values[i] = override == null ? c.getAccessor().invoke(this)
                        : c.getType() == int.class ? Integer.valueOf(override.trim())
                        : c.getType() == boolean.class ? Boolean.valueOf(override.trim())
                        : (Object) Double.valueOf(override.trim());
            }
            return ApproximateSettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot override ApproximateSettings", e);
        }
    }

    /** The component names, for tools that list or parse settings. */
    public static List<String> names() {
        return Arrays.stream(ApproximateSettings.class.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}

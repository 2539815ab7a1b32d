package dev.unlearning.engine.unlearning;

/**
 * Knobs of the approximate methods. The defaults were chosen by measurement on Fashion-MNIST (README,
 * "Unlearning benchmark"); they favour forgetting within a small compute budget over matching retrain exactly.
 *
 * @param epochs SCRUB epochs (max+min) and fine-tuning epochs
 * @param learningRate Adam learning rate for the unlearning updates
 * @param retainPerForget retain samples processed per forget sample and epoch (caps the cost)
 * @param minRetainSamples retain samples per epoch at least, so tiny forget sets still repair the model
 * @param scrubMaxSteps SCRUB: epochs that include a max (forget) pass
 * @param scrubAlpha SCRUB: weight of the retain distillation term
 * @param scrubGamma SCRUB: weight of the retain cross-entropy term
 * @param temperature SCRUB: distillation temperature
 * @param negGradAlpha NegGrad+: weight of the retain term (1-alpha on the forget term)
 * @param rewind SCRUB+R: keep the epoch whose forget error is closest to the error on held-out look-alikes;
 *     applied to record and subject requests only (a forgotten class should be forgotten outright)
 * @param batchSize retain batch size
 * @param forgetBatchSize forget batch size; small, so that a small forget set still gets enough max steps
 * @param negGradEpochs NegGrad+: passes over the forget set (its ascent diverges if run as long as SCRUB)
 */
public record ApproximateSettings(int epochs, double learningRate, int retainPerForget, int minRetainSamples,
        int scrubMaxSteps, double scrubAlpha, double scrubGamma, double temperature, double negGradAlpha,
        boolean rewind, int batchSize, int forgetBatchSize, int negGradEpochs) {

    public static ApproximateSettings defaults() {
        return new ApproximateSettings(5, 1e-3, 4, 512, 2, 0.5, 1.0, 2.0, 0.9, true, 64, 16, 2);
    }

    public ApproximateSettings withoutRewind() {
        return new ApproximateSettings(epochs, learningRate, retainPerForget, minRetainSamples, scrubMaxSteps, scrubAlpha,
                scrubGamma, temperature, negGradAlpha, false, batchSize, forgetBatchSize, negGradEpochs);
    }

    /** Defaults overridden by system properties {@code unlearning.approx.<field>}, for tuning runs. */
    public static ApproximateSettings fromSystemProperties() {
        ApproximateSettings d = defaults();
        return new ApproximateSettings(
                Integer.getInteger("unlearning.approx.epochs", d.epochs()),
                Double.parseDouble(System.getProperty("unlearning.approx.learningRate", String.valueOf(d.learningRate()))),
                Integer.getInteger("unlearning.approx.retainPerForget", d.retainPerForget()),
                Integer.getInteger("unlearning.approx.minRetainSamples", d.minRetainSamples()),
                Integer.getInteger("unlearning.approx.scrubMaxSteps", d.scrubMaxSteps()),
                Double.parseDouble(System.getProperty("unlearning.approx.scrubAlpha", String.valueOf(d.scrubAlpha()))),
                Double.parseDouble(System.getProperty("unlearning.approx.scrubGamma", String.valueOf(d.scrubGamma()))),
                Double.parseDouble(System.getProperty("unlearning.approx.temperature", String.valueOf(d.temperature()))),
                Double.parseDouble(System.getProperty("unlearning.approx.negGradAlpha", String.valueOf(d.negGradAlpha()))),
                Boolean.parseBoolean(System.getProperty("unlearning.approx.rewind", String.valueOf(d.rewind()))),
                Integer.getInteger("unlearning.approx.batchSize", d.batchSize()),
                Integer.getInteger("unlearning.approx.forgetBatchSize", d.forgetBatchSize()),
                Integer.getInteger("unlearning.approx.negGradEpochs", d.negGradEpochs()));
    }
}

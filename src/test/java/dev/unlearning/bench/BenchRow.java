package dev.unlearning.bench;

/**
 * One method in one scenario. Ratios are relative to retraining the whole ensemble without the forget set in
 * the same run with the same seed ({@code seed}: the training and unlearning seed); accuracies are fractions; avgGap is in percentage points against that retrained ensemble.
 * The gate columns are the relative checks' measurements ({@code *Noise}: their chance allowance) and
 * {@code defaultGate}, what the default gate decides: "pass", or the thresholds it fails ("no evidence": the
 * base version passed that forgetting check too, so it cannot evidence an approximate method).
 */
record BenchRow(String scenario, String method, long seed, int forgotten, double wallSeconds, long samples, double wallRatio,
        double samplesRatio, Double forgetAcc, Double retainAcc, Double testAcc, Double miaAuc, Double miaLogisticAuc,
        Double asr, Double forgottenClassTestAcc, Double otherClassesTestAcc, double avgGap, Double forgetGap,
        Double forgetGapNoise, Double miaAdvantage, Double miaAdvantageNoise, Double testDrop, Double asrExcess, Double asrExcessNoise, String defaultGate) {
}

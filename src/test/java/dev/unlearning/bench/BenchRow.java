package dev.unlearning.bench;

/**
 * One method in one scenario. Ratios are relative to retraining the whole ensemble without the forget set in
 * the same run; accuracies are fractions; avgGap is in percentage points against that retrained ensemble.
 */
record BenchRow(String scenario, String method, int forgotten, double wallSeconds, long samples, double wallRatio,
        double samplesRatio, Double forgetAcc, Double retainAcc, Double testAcc, Double miaAuc, Double miaLogisticAuc,
        Double asr, Double forgottenClassTestAcc, Double otherClassesTestAcc, double avgGap) {
}

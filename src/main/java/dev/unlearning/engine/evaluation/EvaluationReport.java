package dev.unlearning.engine.evaluation;

/**
 * Every number an evaluation produced. Accuracies are fractions in [0, 1]; NaN (null in JSON) where a set
 * is empty or the scenario does not apply.
 *
 * @param miaLossAuc loss-threshold attack: AUC of forget vs held-out test records (0.5 = indistinguishable)
 * @param miaLogisticAuc logistic attack on confidence/entropy/loss, fitted on retain vs test, applied to forget vs test
 * @param forgetMemberRate share of forget records the logistic attack calls members
 * @param backdoorAsr attack success rate on triggered test images, when the scenario has canaries
 * @param forgottenClassTestAccuracy test accuracy on forgotten classes, for class requests
 * @param otherClassesTestAccuracy test accuracy on all other classes, for class requests
 * @param lookAlike the forget set against held-out records of its classes; null without forget or test records
 * @param backdoorExcess what the trigger adds over the untriggered rate, when the scenario has canaries
 */
public record EvaluationReport(Integer version, String ensembleDigest, SetMetrics forget, SetMetrics retain,
        SetMetrics test, Double miaLossAuc, Double miaLogisticAuc, Double forgetMemberRate, Double backdoorAsr,
        Double forgottenClassTestAccuracy, Double otherClassesTestAccuracy, LookAlikeComparison lookAlike,
        Backdoor.Excess backdoorExcess) {

    /** Size, accuracy and mean loss of one record set. */
    public record SetMetrics(int records, Double accuracy, Double meanLoss) {
    }

    public static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}

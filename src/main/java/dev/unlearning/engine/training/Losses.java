package dev.unlearning.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The loss terms the training and unlearning methods combine; small pure functions over logits. */
public final class Losses {

    private Losses() {
    }

    /** Mean cross-entropy of integer labels under the given logits. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(1);
        NDArray oneHot = labels.toType(DataType.INT64, false).oneHot((int) logits.getShape().get(1));
        return logProbs.mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /**
     * KL(teacher || student) at temperature T, averaged over the batch and scaled by T^2 so its gradient keeps
     * the same magnitude as T changes (Hinton et al.'s distillation convention, which SCRUB uses).
     */
    public static NDArray distillationKl(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        float t = (float) temperature;
        NDArray studentLog = studentLogits.div(t).logSoftmax(1);
        NDArray teacherLog = teacherLogits.div(t).logSoftmax(1);
        NDArray teacher = teacherLog.exp();
        return teacher.mul(teacherLog.sub(studentLog)).sum(new int[] {1}).mean().mul(t * t);
    }
}

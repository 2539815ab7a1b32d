package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a finalize step measures on a candidate version; the key is the name in status and certificates. */
public enum Metric {
    FORGET_ACCURACY("forgetAccuracy"),
    RETAIN_ACCURACY("retainAccuracy"),
    TEST_ACCURACY("testAccuracy"),
    MIA_AUC("miaAuc"),
    FORGOTTEN_CLASS_TEST_ACCURACY("forgottenClassTestAccuracy"),
    OTHER_CLASSES_TEST_ACCURACY("otherClassesTestAccuracy"),
    BACKDOOR_ASR("backdoorAsr"),
    /** Held-out accuracy on the forget set's classes, weighted by how many forgotten records each class has. */
    LOOK_ALIKE_ACCURACY("lookAlikeAccuracy"),
    /** Forget accuracy minus look-alike accuracy: how much better the model knows the forget set than unseen data. */
    FORGET_ACCURACY_GAP("forgetAccuracyGap"),
    /** How far the gap can stray by chance alone at these sample sizes (three standard errors). */
    FORGET_ACCURACY_GAP_NOISE("forgetAccuracyGapNoise"),
    /** Loss-attack AUC of the forget set against look-alikes of the same classes, minus 0.5. */
    MIA_ADVANTAGE("miaAdvantage"),
    /** How far the advantage can stray by chance alone (three standard errors of an AUC under no membership). */
    MIA_ADVANTAGE_NOISE("miaAdvantageNoise"),
    /** Test accuracy of the base version minus the candidate's, over the classes the request keeps. */
    TEST_ACCURACY_DROP("testAccuracyDrop"),
    /**
     * Attack success rate minus how often the same held-out images, untriggered, are already classified as the
     * target: what the trigger itself adds. The highest over the run's triggers.
     */
    BACKDOOR_ASR_EXCESS("backdoorAsrExcess"),
    /** How far that excess can stray by chance (three standard errors of a paired difference on those images). */
    BACKDOOR_ASR_EXCESS_NOISE("backdoorAsrExcessNoise");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    @JsonCreator
    public static Metric ofKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric " + key));
    }
}

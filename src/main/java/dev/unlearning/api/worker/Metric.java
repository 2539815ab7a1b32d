package dev.unlearning.api.worker;

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
    BACKDOOR_ASR("backdoorAsr");

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

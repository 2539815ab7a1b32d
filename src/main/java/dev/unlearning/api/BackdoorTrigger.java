package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * The trigger that the records a request forgets were poisoned with (backdoor canaries): a white square of
 * {@code patch} pixels stamped in the bottom-right corner of an image, relabelled as {@code target}. The
 * verification gate measures the attack success rate by stamping it onto held-out test images, so
 * {@code maxBackdoorAsr} can only be asked together with the trigger it is measured with.
 */
public class BackdoorTrigger {

    @Required
    @Min(0)
    @Max(100000)
    @JsonPropertyDescription("The class the poisoned records were relabelled as.")
    private int target;

    @Required
    @Min(1)
    @Max(64)
    @JsonPropertyDescription("Side of the white square, in pixels, stamped one pixel in from the bottom-right corner.")
    private int patch;

    public int getTarget() {
        return target;
    }

    public void setTarget(int target) {
        this.target = target;
    }

    public int getPatch() {
        return patch;
    }

    public void setPatch(int patch) {
        this.patch = patch;
    }
}

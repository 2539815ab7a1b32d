package dev.unlearning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BackdoorTrigger;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unlearn role's approximate settings follow what the requests say about their records. */
class UnlearnSettingsTest {

    @Test
    void aRunWithAnyPoisonedRequestRewindsNever() {
        UnlearningRequest plain = request(null);
        UnlearningRequest poisoned = request(new BackdoorTrigger());

        assertThat(UnlearnCommand.approximateSettings(List.of(plain)).rewind()).isTrue();
        assertThat(UnlearnCommand.approximateSettings(List.of(plain, poisoned)).rewind())
                .as("look-alikes are the wrong target for poisoned labels").isFalse();
    }

    private static UnlearningRequest request(BackdoorTrigger trigger) {
        UnlearningRequest request = new UnlearningRequest();
        UnlearningRequestSpec spec = new UnlearningRequestSpec();
        spec.setBackdoorTrigger(trigger);
        request.setSpec(spec);
        return request;
    }
}

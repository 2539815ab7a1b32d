package dev.unlearning.engine.unlearning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApproximateSettingsTest {

    @Test
    void overridesReplaceOnlyTheNamedSettingsWithTheirTypes() {
        ApproximateSettings d = ApproximateSettings.defaults();
        Map<String, String> overrides = Map.of("learningRate", "0.5", "scrubEpochs", "7", "rewind", "false");

        ApproximateSettings changed = d.with(overrides::get);

        assertThat(changed.learningRate()).isEqualTo(0.5);
        assertThat(changed.scrubEpochs()).isEqualTo(7);
        assertThat(changed.rewind()).isFalse();
        assertThat(changed.withoutRewind()).isEqualTo(changed);
        assertThat(changed.ssdAlpha()).isEqualTo(d.ssdAlpha());
        assertThat(d.with(n -> null)).isEqualTo(d);
    }
}

package dev.unlearning.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServingLimitsTest {

    @Test
    void theDefaultsRunOneInferencePerProcessorOnOneThreadEach() {
        ServingLimits twoCpus = ServingLimits.defaults(2);
        assertThat(twoCpus.maxConcurrent()).isEqualTo(2);
        assertThat(twoCpus.maxQueued()).isEqualTo(8);
        assertThat(twoCpus.threadsPerInference(2)).isEqualTo(1);
        assertThat(ServingLimits.defaults(16).threadsPerInference(16)).isEqualTo(1);
    }

    @Test
    void fewerWorkersThanProcessorsShareTheCoresAmongThem() {
        ServingLimits one = new ServingLimits(1, 4, 256, null, ServingLimits.DEFAULT_REQUEST_TIMEOUT,
                ServingLimits.DEFAULT_IDLE_TIMEOUT);
        assertThat(one.threadsPerInference(8)).isEqualTo(8);
        ServingLimits three = new ServingLimits(3, 12, 256, null, ServingLimits.DEFAULT_REQUEST_TIMEOUT,
                ServingLimits.DEFAULT_IDLE_TIMEOUT);
        assertThat(three.threadsPerInference(8)).isEqualTo(2);
        // More workers than cores still get a thread each, never zero.
        assertThat(three.threadsPerInference(2)).isEqualTo(1);
    }
}

package dev.unlearning.engine.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.worker.Metric;
import dev.unlearning.api.worker.Threshold;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The gate passes what meets every set threshold and fails closed on what it could not measure. */
class GateTest {

    private static final double LIMIT = 0.5;

    enum Case {
        PASSES, FAILS, NOT_MEASURED
    }

    static Stream<Arguments> everyThresholdAndCase() {
        List<Arguments> cases = new ArrayList<>();
        for (Threshold threshold : Threshold.values()) {
            for (Case c : Case.values()) {
                cases.add(Arguments.of(threshold, c));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyThresholdAndCase")
    void checksEveryThreshold(Threshold threshold, Case c) {
        VerificationSpec spec = new VerificationSpec();
        threshold.setLimit(spec, LIMIT);
        // Every other metric is measured and would fail any threshold, to show only the set one is checked.
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            values.put(metric, threshold.bound() == Threshold.Bound.MAX ? 0.0 : 1.0);
        }
        double passing = threshold.bound() == Threshold.Bound.MAX ? LIMIT - 0.1 : LIMIT + 0.1;
        double failing = threshold.bound() == Threshold.Bound.MAX ? LIMIT + 0.1 : LIMIT - 0.1;
        switch (c) {
            case PASSES -> values.put(threshold.metric(), passing);
            case FAILS -> values.put(threshold.metric(), failing);
            case NOT_MEASURED -> values.remove(threshold.metric());
        }

        List<GateFailure> failures = Gate.failures(spec, new Measurements(values));

        switch (c) {
            case PASSES -> assertThat(failures).isEmpty();
            case FAILS -> assertThat(failures).containsExactly(new GateFailure(threshold, failing, LIMIT));
            case NOT_MEASURED -> {
                assertThat(failures).containsExactly(new GateFailure(threshold, null, LIMIT));
                assertThat(failures.get(0).describe()).contains(threshold.metric().key(), "not measured");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("thresholds")
    void aMeasurementAtTheLimitPasses(Threshold threshold) {
        VerificationSpec spec = new VerificationSpec();
        threshold.setLimit(spec, LIMIT);
        assertThat(Gate.failures(spec, Measurements.none().with(threshold.metric(), LIMIT))).isEmpty();
    }

    static Stream<Threshold> thresholds() {
        return Stream.of(Threshold.values());
    }

    @Test
    void aSpecWithNoThresholdsPassesAnything() {
        assertThat(Gate.failures(new VerificationSpec(), Measurements.none())).isEmpty();
        assertThat(Gate.failures(new VerificationSpec(), Measurements.none()
                .with(Metric.FORGET_ACCURACY, 1.0).with(Metric.TEST_ACCURACY, 0.0))).isEmpty();
        assertThat(Gate.failures(null, Measurements.none())).isEmpty();
    }

    @Test
    void anUnmeasuredBackdoorFailsNamingTheMetric() {
        VerificationSpec spec = new VerificationSpec();
        spec.setMaxBackdoorAsr(0.1);
        Measurements measured = Measurements.none().with(Metric.FORGET_ACCURACY, 0.0).with(Metric.TEST_ACCURACY, 0.9);

        List<GateFailure> failures = Gate.failures(spec, measured);

        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.threshold()).isEqualTo(Threshold.MAX_BACKDOOR_ASR);
            assertThat(f.measured()).isNull();
            assertThat(f.describe()).contains("backdoorAsr");
        });
    }
}

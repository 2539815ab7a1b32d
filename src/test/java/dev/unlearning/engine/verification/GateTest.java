package dev.unlearning.engine.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.GateFailure;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.api.Metric;
import dev.unlearning.api.Threshold;
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
            case FAILS -> assertThat(failures).containsExactly(new GateFailure(threshold, failing, LIMIT, noAllowance(threshold)));
            case NOT_MEASURED -> {
                assertThat(failures).containsExactly(new GateFailure(threshold, null, LIMIT, noAllowance(threshold)));
                assertThat(failures.get(0).describe()).contains(threshold.metric().key(), "not measured");
            }
        }
    }

    /** The allowance a relative threshold reports when its noise metric measured 0; absolute ones have none. */
    private static Double noAllowance(Threshold threshold) {
        return threshold.noise() == null ? null : 0.0;
    }

    @Test
    void aRelativeLimitIsWidenedByItsMeasuredChanceAllowanceAndNoMore() {
        VerificationSpec spec = new VerificationSpec();
        spec.setMaxForgetAccuracyGap(0.02);
        Measurements few = Measurements.none().with(Metric.FORGET_ACCURACY_GAP, 0.05)
                .with(Metric.FORGET_ACCURACY_GAP_NOISE, 0.04);
        assertThat(Gate.failures(spec, few)).as("0.05 <= 0.02 + 0.04: too few records to tell").isEmpty();

        Measurements many = few.with(Metric.FORGET_ACCURACY_GAP_NOISE, 0.02);
        assertThat(Gate.failures(spec, many)).singleElement().satisfies(f -> {
            assertThat(f.allowance()).isEqualTo(0.02);
            assertThat(f.describe()).contains("forgetAccuracyGap 0.0500 > 0.0200 + 0.0200", "forgetAccuracyGapNoise");
        });
    }

    @Test
    void aRelativeThresholdWhoseAllowanceWasNotMeasuredFailsClosed() {
        VerificationSpec spec = new VerificationSpec();
        spec.setMaxMiaAdvantage(0.05);
        Measurements noNoise = Measurements.none().with(Metric.MIA_ADVANTAGE, 0.0);

        assertThat(Gate.failures(spec, noNoise)).singleElement().satisfies(f -> {
            assertThat(f.measured()).isEqualTo(0.0);
            assertThat(f.allowance()).isNull();
            assertThat(f.describe()).contains("miaAdvantageNoise was not measured", "maxMiaAdvantage");
        });
    }

    @Test
    void anApproximateCandidateNeedsAForgettingCheckTheBaseVersionFailed() {
        VerificationSpec spec = new VerificationSpec();
        spec.setMaxForgetAccuracyGap(0.02);
        spec.setMaxMiaAdvantage(0.05);
        spec.setMaxTestAccuracyDrop(0.02);
        Measurements forgotten = Measurements.none().with(Metric.FORGET_ACCURACY_GAP, 0.0)
                .with(Metric.FORGET_ACCURACY_GAP_NOISE, 0.03).with(Metric.MIA_ADVANTAGE, 0.0)
                .with(Metric.MIA_ADVANTAGE_NOISE, 0.03).with(Metric.TEST_ACCURACY_DROP, 0.0);
        Measurements remembered = forgotten.with(Metric.FORGET_ACCURACY_GAP, 0.09);
        Measurements indistinct = forgotten.with(Metric.FORGET_ACCURACY_GAP, 0.04);

        assertThat(Gate.failures(spec, remembered, forgotten, false)).as("the gap check tells them apart").isEmpty();
        assertThat(Gate.failures(spec, indistinct, forgotten, true)).as("Exact needs no such evidence").isEmpty();
        List<GateFailure> unevidenced = Gate.failures(spec, indistinct, forgotten, false);
        assertThat(unevidenced).extracting(GateFailure::threshold).as("every forgetting check, not the utility one")
                .containsExactly(Threshold.MAX_FORGET_ACCURACY_GAP, Threshold.MAX_MIA_ADVANTAGE);
        assertThat(unevidenced).allSatisfy(f -> assertThat(f.baseAlreadyPassed()).isTrue());
        assertThat(unevidenced.get(0).measured()).as("the base version's gap").isEqualTo(0.04);
        assertThat(unevidenced.get(0).describe()).contains("was already 0.0400", "before unlearning", "Exact");

        Measurements unmeasuredBase = Measurements.none();
        assertThat(Gate.failures(spec, unmeasuredBase, forgotten, false)).as("an unmeasured base is no evidence")
                .extracting(GateFailure::baseAlreadyPassed).containsOnly(true).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("thresholds")
    void aMeasurementAtTheLimitPasses(Threshold threshold) {
        VerificationSpec spec = new VerificationSpec();
        threshold.setLimit(spec, LIMIT);
        Measurements atLimit = Measurements.none().with(threshold.metric(), LIMIT);
        if (threshold.noise() != null) {
            atLimit = atLimit.with(threshold.noise(), 0.0);
        }
        assertThat(Gate.failures(spec, atLimit)).isEmpty();
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

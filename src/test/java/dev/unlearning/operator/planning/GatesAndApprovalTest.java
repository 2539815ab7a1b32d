package dev.unlearning.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.GateDefaults;
import dev.unlearning.api.GateDefaults.RunKind;
import dev.unlearning.api.ModelReference;
import dev.unlearning.api.RolloutPolicy;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestSpec;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.Threshold;
import dev.unlearning.operator.planning.Approval.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import java.util.function.Function;

class GatesAndApprovalTest {

    @Test
    void theGateTakesTheStrictestLimitOfEveryThreshold() {
        VerificationSpec model = spec(0.5, 0.6, 0.80, null);
        VerificationSpec strictForget = spec(0.1, null, null, null);
        VerificationSpec strictTest = spec(null, 0.55, 0.85, 0.05);
        VerificationSpec gate = Gates.merge(model, Arrays.asList(strictForget, null, strictTest));
        assertThat(gate.getMaxForgetAccuracy()).isEqualTo(0.1);
        assertThat(gate.getMaxMiaAuc()).isEqualTo(0.55);
        assertThat(gate.getMinTestAccuracy()).isEqualTo(0.85);
        assertThat(gate.getMaxBackdoorAsr()).isEqualTo(0.05);
        VerificationSpec none = Gates.merge(null, List.of());
        assertThat(none.getMaxForgetAccuracy()).isNull();
        assertThat(none.getMinTestAccuracy()).isNull();
    }

    @Test
    void anUnsetThresholdTakesTheRelativeDefaultAndAnExplicitOneWins() {
        VerificationSpec model = new VerificationSpec();
        model.setMaxTestAccuracyDrop(0.05);
        VerificationSpec request = new VerificationSpec();
        request.setMaxForgetAccuracyGap(0.01);

        VerificationSpec gate = Gates.merge(model, List.of(request));

        assertThat(gate.getDefaults()).isEqualTo(GateDefaults.RELATIVE);
        assertThat(gate.getMaxForgetAccuracyGap()).as("the request's, stricter than the default").isEqualTo(0.01);
        assertThat(gate.getMaxMiaAdvantage()).as("the default")
                .isEqualTo(GateDefaults.RELATIVE_LIMITS.get(Threshold.MAX_MIA_ADVANTAGE));
        assertThat(gate.getMaxTestAccuracyDrop()).as("the model's own, looser than the default").isEqualTo(0.05);
        assertThat(gate.getMaxForgetAccuracy()).as("absolute thresholds have no default").isNull();
    }

    @Test
    void aRunWithCanariesGetsTheBackdoorExcessDefaultAndOnlyThen() {
        assertThat(Gates.merge(new VerificationSpec(), List.of(), new RunKind(true, false)).getMaxBackdoorAsrExcess())
                .isEqualTo(0.02);
        assertThat(Gates.merge(new VerificationSpec(), List.of(), RunKind.RECORDS).getMaxBackdoorAsrExcess())
                .as("without a trigger it could not be measured, so it would fail every run").isNull();
        VerificationSpec optedOut = new VerificationSpec();
        optedOut.setDefaults(GateDefaults.NONE);
        assertThat(Gates.merge(optedOut, List.of(), new RunKind(true, false)).getMaxBackdoorAsrExcess()).isNull();
    }

    @Test
    void aRunThatForgetsLabelsGetsTheForgottenClassDefaultAndOnlyThen() {
        assertThat(Gates.merge(new VerificationSpec(), List.of(), new RunKind(false, true))
                .getMaxForgottenClassTestAccuracy()).isEqualTo(0.02);
        assertThat(Gates.merge(new VerificationSpec(), List.of(), new RunKind(true, false))
                .getMaxForgottenClassTestAccuracy()).as("a record run has no forgotten class to measure").isNull();
        VerificationSpec optedOut = new VerificationSpec();
        optedOut.setDefaults(GateDefaults.NONE);
        assertThat(Gates.merge(optedOut, List.of(), new RunKind(false, true)).getMaxForgottenClassTestAccuracy()).isNull();
    }

    @Test
    void aRunIsOfAKindWhenAnyOfItsRequestsIs() {
        UnlearningRequestSpec records = new UnlearningRequestSpec();
        records.setForget(new ForgetSelector());
        records.getForget().setRecordIds(List.of("a"));
        UnlearningRequestSpec classes = new UnlearningRequestSpec();
        classes.setForget(new ForgetSelector());
        classes.getForget().setLabels(List.of(1));

        assertThat(Gates.kind(List.of(records))).isEqualTo(RunKind.RECORDS);
        assertThat(Gates.kind(List.of(records, classes))).isEqualTo(new RunKind(false, true));
    }

    @Test
    void onlyTheModelCanOptOutOfTheDefaultsAndARequestCanOptBackIn() {
        VerificationSpec optedOut = new VerificationSpec();
        optedOut.setDefaults(GateDefaults.NONE);
        VerificationSpec requestOptOut = new VerificationSpec();
        requestOptOut.setDefaults(GateDefaults.NONE);
        VerificationSpec requestOptIn = new VerificationSpec();
        requestOptIn.setDefaults(GateDefaults.RELATIVE);

        VerificationSpec none = Gates.merge(optedOut, List.of());
        assertThat(none.getDefaults()).isEqualTo(GateDefaults.NONE);
        for (Threshold threshold : Threshold.values()) {
            assertThat(threshold.limit(none)).as(threshold.key()).isNull();
        }
        assertThat(Gates.merge(null, List.of(requestOptOut)).getMaxForgetAccuracyGap())
                .as("a request cannot loosen its model's gate").isEqualTo(0.02);
        assertThat(Gates.merge(optedOut, List.of(requestOptOut, requestOptIn)).getMaxMiaAdvantage())
                .as("one request in the run asking for the defaults tightens the run").isEqualTo(0.05);
    }

    @Test
    void aManualRequestHoldsServingBelowItsVersionUntilApproved() {
        UnlearningRequest manual = request("manual", RolloutPolicy.MANUAL, null);
        UnlearningRequest automatic = request("auto", RolloutPolicy.AUTOMATIC, null);
        List<RunRecord> runs = List.of(published("u1", 2, automatic), published("u2", 3, manual));
        assertThat(Approval.servingTarget(3, runs, lookup(manual, automatic))).isEqualTo(2);

        UnlearningRequest approved = request("manual", RolloutPolicy.MANUAL, "true");
        assertThat(Approval.servingTarget(3, runs, lookup(approved, automatic))).isEqualTo(3);
        assertThat(Approval.servingTarget(3, runs, lookup(automatic))).as("a deleted request holds nothing back")
                .isEqualTo(3);
        RunRecord failed = published("u3", 4, manual);
        failed.setOutcome(RunOutcome.FAILED);
        assertThat(Approval.servingTarget(3, List.of(failed), lookup(manual))).isEqualTo(3);
    }

    @Test
    void aRequestSaysWhyItsVersionIsNotServedYet() {
        UnlearningRequest manual = request("manual", RolloutPolicy.MANUAL, null);
        UnlearningRequest approved = request("manual", RolloutPolicy.MANUAL, "true");
        assertThat(Approval.rollout(manual, 3, 2, 2)).isEqualTo(Rollout.AWAITING_APPROVAL);
        assertThat(Approval.rollout(approved, 3, 2, 2)).isEqualTo(Rollout.IN_PROGRESS);
        assertThat(Approval.rollout(approved, 3, 2, null)).isEqualTo(Rollout.IN_PROGRESS);
        assertThat(Approval.rollout(approved, 3, 2, 3)).isEqualTo(Rollout.ROLLED_OUT);
        assertThat(Approval.rollout(manual, 3, 2, 4)).isEqualTo(Rollout.ROLLED_OUT);
        assertThat(Approval.rollout(manual, 3, 0, null)).isEqualTo(Rollout.SERVING_DISABLED);
    }

    static Function<RunMember, Optional<UnlearningRequest>> lookup(UnlearningRequest... requests) {
        return m -> Arrays.stream(requests).filter(m::is).findFirst();
    }

    static RunRecord published(String id, int version, UnlearningRequest request) {
        RunRecord run = new RunRecord();
        run.setId(id);
        run.setOutcome(RunOutcome.PUBLISHED);
        run.setVersion(version);
        run.setRequests(List.of(new RunMember(request.getMetadata().getName(), request.getMetadata().getUid())));
        return run;
    }

    static UnlearningRequest request(String name, RolloutPolicy rollout, String approval) {
        UnlearningRequest r = new UnlearningRequest();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withUid(name + "-uid")
                .withAnnotations(approval == null ? Map.of() : Map.of(Approval.ANNOTATION, approval)).build());
        UnlearningRequestSpec spec = new UnlearningRequestSpec();
        spec.setModelRef(new ModelReference());
        spec.setRollout(rollout);
        r.setSpec(spec);
        return r;
    }

    static VerificationSpec spec(Double maxForget, Double maxMia, Double minTest, Double maxAsr) {
        VerificationSpec spec = new VerificationSpec();
        spec.setMaxForgetAccuracy(maxForget);
        spec.setMaxMiaAuc(maxMia);
        spec.setMinTestAccuracy(minTest);
        spec.setMaxBackdoorAsr(maxAsr);
        return spec;
    }
}

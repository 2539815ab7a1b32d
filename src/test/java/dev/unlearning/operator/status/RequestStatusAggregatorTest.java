package dev.unlearning.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.unlearning.api.BatchRun;
import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.ArchitectureType;
import dev.unlearning.api.DatasetFormat;
import dev.unlearning.api.DetectionRecord;
import dev.unlearning.api.DetectionReport;
import dev.unlearning.api.OutlierDetectorType;
import dev.unlearning.api.OutlierSelector;
import dev.unlearning.api.ForgetSelector;
import dev.unlearning.api.DatasetSpec;
import dev.unlearning.api.ErasureRecord;
import dev.unlearning.api.ExactFollowUp;
import dev.unlearning.api.GateDefaults;
import dev.unlearning.api.Guarantee;
import dev.unlearning.api.ModelReference;
import dev.unlearning.api.RolloutPolicy;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.ServingSpec;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelSpec;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.ShardingSpec;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestSpec;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.operator.planning.RequestKind;
import dev.unlearning.operator.planning.Methods;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.planning.Approval;
import dev.unlearning.operator.status.RequestStatusAggregator.Derived;
import dev.unlearning.operator.status.RequestStatusAggregator.Planning;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A request's conditions derived from what its model's status says, without an API server. */
class RequestStatusAggregatorTest {

    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    final RequestStatusAggregator aggregator = new RequestStatusAggregator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aMissingModelIsNotAccepted() {
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.empty(), null);
        assertCondition(d, RequestConditions.ACCEPTED, "False", "ModelNotFound");
        assertThat(d.notices()).extracting(n -> n.reason()).containsExactly(EventReason.ModelNotFound);
        assertThat(d.notices().get(0).warning()).isTrue();
    }

    @Test
    void aThresholdTheModelCannotMeasureIsRefusedAtOnceNamingIt() {
        ShardedModel tabular = model(1);
        tabular.getSpec().getDataset().setFormat(DatasetFormat.CSV);
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        VerificationSpec gate = new VerificationSpec();
        gate.setMinTestAccuracy(0.8);
        request.getSpec().setVerification(gate);

        Derived d = derive(request, Optional.of(tabular), Planning.of(List.of(0)));

        assertCondition(d, RequestConditions.ACCEPTED, "False", "ThresholdNotMeasurable");
        assertThat(d.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .contains("minTestAccuracy").contains("no testUri");
        assertThat(d.status().getConditions()).noneMatch(c -> c.getType().equals(RequestConditions.PLANNED));

        tabular.getSpec().getDataset().setTestUri("file:///data/test.csv");
        assertCondition(derive(request, Optional.of(tabular), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");
    }

    @Test
    void eachFamilyRefusesTheOthersMethodsAndALanguageModelRefusesClassesAndCanaries() {
        ShardedModel authors = model(1);
        authors.getSpec().getDataset().setFormat(DatasetFormat.JSONL);
        authors.getSpec().getDataset().setTestUri("file:///data/holdout.jsonl");
        authors.getSpec().getArchitecture().setType(ArchitectureType.TRANSFORMER_LM);
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        request.getSpec().setMethod(UnlearningMethod.NEG_GRAD_PLUS);
        ForgetSelector classes = new ForgetSelector();
        classes.setLabels(List.of(3));
        request.getSpec().setForget(classes);

        Derived d = derive(request, Optional.of(authors), Planning.of(List.of(0)));

        assertCondition(d, RequestConditions.ACCEPTED, "False", "NotSupportedByModel");
        assertThat(d.notices()).extracting(n -> n.reason()).containsExactly(EventReason.NotSupportedByModel);
        assertThat(d.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .contains("forget.labels names classes").contains("NegGradPlus is a classifier method");

        ForgetSelector author = new ForgetSelector();
        author.setSubjects(List.of("author-007"));
        request.getSpec().setForget(author);
        request.getSpec().setMethod(UnlearningMethod.AUTO);
        assertCondition(derive(request, Optional.of(authors), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");
        request.getSpec().setMethod(UnlearningMethod.NPO);
        assertCondition(derive(request, Optional.of(authors), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");

        request.getSpec().setMethod(UnlearningMethod.GRADIENT_DIFFERENCE);
        Derived classifier = derive(request, Optional.of(model(1)), Planning.of(List.of(0)));
        assertCondition(classifier, RequestConditions.ACCEPTED, "False", "NotSupportedByModel");
        assertThat(classifier.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .startsWith("GradientDifference is a language-model method");
    }

    @Test
    void aKnnModelTakesEveryRequestExactlyAndRefusesApproximateMethods() {
        ShardedModel gallery = model(1);
        gallery.getSpec().getArchitecture().setType(ArchitectureType.KNN);
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        ForgetSelector classes = new ForgetSelector();
        classes.setLabels(List.of(3));
        request.getSpec().setForget(classes);
        request.getSpec().setMethod(UnlearningMethod.AUTO);
        assertThat(Methods.effective(gallery.getSpec(), UnlearningMethod.AUTO, RequestKind.of(request.getSpec())))
                .as("a class on a classifier network routes to SalUn; on an index, dropping is cheapest")
                .isEqualTo(UnlearningMethod.EXACT);
        assertThat(Methods.effective(model(1).getSpec(), UnlearningMethod.AUTO, RequestKind.of(request.getSpec())))
                .isEqualTo(UnlearningMethod.SALUN);
        assertCondition(derive(request, Optional.of(gallery), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");

        request.getSpec().setMethod(UnlearningMethod.SALUN);
        Derived d = derive(request, Optional.of(gallery), Planning.of(List.of(0)));
        assertCondition(d, RequestConditions.ACCEPTED, "False", "NotSupportedByModel");
        assertThat(d.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .startsWith("SalUn does not apply to a knn model");
    }

    @Test
    void anApproximateRequestOnAGateWithNoForgettingCheckIsRefused() {
        ShardedModel model = model(1);
        VerificationSpec utilityOnly = new VerificationSpec();
        utilityOnly.setDefaults(GateDefaults.NONE);
        utilityOnly.setMinTestAccuracy(0.5);
        model.getSpec().setVerification(utilityOnly);
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        request.getSpec().setMethod(UnlearningMethod.SCRUB);

        Derived d = derive(request, Optional.of(model), Planning.of(List.of(0)));

        assertCondition(d, RequestConditions.ACCEPTED, "False", "ThresholdNotMeasurable");
        assertThat(d.status().condition(RequestConditions.ACCEPTED).orElseThrow().getMessage())
                .contains("SCRUB is verified only by a forgetting threshold");

        request.getSpec().setMethod(UnlearningMethod.EXACT);
        assertCondition(derive(request, Optional.of(model), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");
        request.getSpec().setMethod(UnlearningMethod.SCRUB);
        utilityOnly.setMaxForgetAccuracy(0.05);
        assertCondition(derive(request, Optional.of(model), Planning.of(List.of(0))), RequestConditions.ACCEPTED,
                "True", "Accepted");
    }

    @Test
    void aMissingIdListIsNotAccepted() {
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model(1)), Planning.failed("ConfigMap ids has no key list"));
        assertCondition(d, RequestConditions.ACCEPTED, "False", "ListNotFound");
        assertThat(d.status().getConditions()).noneMatch(c -> c.getType().equals(RequestConditions.PLANNED));
    }

    @Test
    void planningRecordsTheShardsOnceAndAnnouncesAcceptance() {
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model(1)), Planning.of(List.of(1, 3)));
        assertCondition(d, RequestConditions.ACCEPTED, "True", "Accepted");
        assertCondition(d, RequestConditions.PLANNED, "True", "ShardsPlanned");
        assertCondition(d, RequestConditions.DEGRADED, "False", "Healthy");
        assertThat(d.status().getAffectedShards()).containsExactly(1, 3);
        assertThat(d.notices()).extracting(n -> n.reason()).containsExactly(EventReason.Accepted);
        assertThat(d.status().getObservedGeneration()).isEqualTo(4L);
    }

    @Test
    void theActiveRunShowsAsUnlearningAndAFallbackAsAFailedFirstVerification() {
        ShardedModel model = model(1);
        BatchRun run = new BatchRun();
        run.setId("u2");
        run.setRequests(List.of(new RunMember("forget", "uid-1")));
        run.setMethod(UnlearningMethod.EXACT);
        run.setShards(List.of(0, 2));
        run.setPhase(RunPhase.UNLEARNING);
        run.setJobNames(List.of("m-unlearn-u2-neggradplus", "m-unlearn-u2-exact"));
        run.setFallbackReason("[forgetAccuracy 0.4000 > 0.0200]");
        model.getStatus().unlearningLane().setActiveRun(run);
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(d, RequestConditions.UNLEARNING, "True", "JobStarted");
        assertCondition(d, RequestConditions.VERIFIED, "False", "VerificationFailed");
        assertThat(d.status().getBatch()).isEqualTo("u2");
        assertThat(d.status().getJobNames()).containsExactly("m-unlearn-u2-neggradplus", "m-unlearn-u2-exact");
    }

    @Test
    void aPublishedRunIsVerifiedThenCompleteOnceServed() {
        ShardedModel model = model(1);
        model.getStatus().unlearningLane().getRuns().add(published("forget", "uid-1", 2));
        model.getStatus().getPublished().setTombstoneCount(2);
        model.getStatus().getServing().setVersion(1);
        Derived verified = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(verified, RequestConditions.VERIFIED, "True", "VerificationPassed");
        assertCondition(verified, RequestConditions.ROLLED_OUT, "False", "RolloutInProgress");
        assertThat(verified.status().condition(RequestConditions.COMPLETE)).isEmpty();
        assertThat(verified.status().getResultingVersion()).isEqualTo(2);
        assertThat(verified.status().getCertificate().getDigest()).isEqualTo("cert-2");
        assertThat(verified.status().getMetricsAfter()).containsEntry("testAccuracy", 0.84);
        assertThat(verified.notices()).extracting(n -> n.reason()).contains(EventReason.Verified);

        model.getStatus().getServing().setVersion(2);
        Derived served = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(served, RequestConditions.ROLLED_OUT, "True", "RolledOut");
        assertCondition(served, RequestConditions.ERASED, "False", "ErasurePending");
        assertThat(served.status().condition(RequestConditions.COMPLETE)).as("not before erasure").isEmpty();

        model.getStatus().erasureLane().setFailure("erasure Job m-erase-e1 failed: store unreachable");
        assertCondition(derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null), RequestConditions.ERASED,
                "False", "ErasureFailed");

        model.getStatus().erasureLane().setFailure(null);
        model.getStatus().erasureLane().setLast(erasure(2));
        Derived complete = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(complete, RequestConditions.ERASED, "True", "Erased");
        assertCondition(complete, RequestConditions.COMPLETE, "True", "Complete");
        assertThat(complete.status().getErasure().getErasedVersions()).containsExactly(1);

        model.getStatus().erasureLane().setLast(erasure(1));
        assertCondition(derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null), RequestConditions.ERASED,
                "False", "ErasurePending");
    }

    @Test
    void aRunThatForgotNothingCompletesWithoutWaitingForAnErasureThatIsNeverDue() {
        ShardedModel model = model(1);
        RunRecord run = published("forget", "uid-1", 2);
        run.setForgottenRecords(0);
        run.setUnknownRecords(2);
        model.getStatus().unlearningLane().getRuns().add(run);
        model.getStatus().getPublished().setTombstoneCount(0);
        model.getStatus().getServing().setVersion(2);
        Derived served = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(served, RequestConditions.ERASED, "True", "NothingToErase");
        assertCondition(served, RequestConditions.COMPLETE, "True", "Complete");
        assertThat(served.status().getErasure()).isNull();

        model.getStatus().erasureLane().setFailure("erasure Job m-erase-e1 failed: store unreachable");
        assertCondition(derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null), RequestConditions.ERASED,
                "False", "ErasureFailed");
    }

    @Test
    void aStuckRolloutSaysWhyOnTheModelAndTheRequest() {
        ShardedModel model = model(1);
        model.getStatus().unlearningLane().getRuns().add(published("forget", "uid-1", 2));
        model.getStatus().getPublished().setCurrentVersion(2);
        model.getStatus().getServing().setVersion(1);
        ModelStatusAggregator models = new ModelStatusAggregator(Clock.systemUTC());
        String why = "serving pod m-serving-b-1 cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu.";
        models.aggregate(model, model.getStatus(), false, Optional.empty(), Optional.of(why), 2);
        assertThat(model.getStatus().condition(ModelConditions.SERVING)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("RolloutStalled");
            assertThat(c.getMessage()).isEqualTo(why);
        });
        assertThat(model.getStatus().condition(ModelConditions.READY)).as("version 1 is still served")
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        Derived stalled = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(stalled, RequestConditions.ROLLED_OUT, "False", "RolloutStalled");
        assertThat(stalled.status().condition(RequestConditions.ROLLED_OUT).orElseThrow().getMessage())
                .isEqualTo("version 2 is not rolling out: " + why);

        models.aggregate(model, model.getStatus(), false, Optional.empty(), Optional.empty(), 2);
        assertThat(model.getStatus().condition(ModelConditions.SERVING).orElseThrow().getReason()).isEqualTo("RollingOut");
        assertCondition(derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null), RequestConditions.ROLLED_OUT,
                "False", "RolloutInProgress");
        model.getStatus().getServing().setVersion(2);
        models.aggregate(model, model.getStatus(), false, Optional.empty(), Optional.empty(), 2);
        assertThat(model.getStatus().condition(ModelConditions.SERVING).orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void manualWaitsForApprovalAndNoServingCompletesAtOnce() {
        ShardedModel model = model(1);
        model.getStatus().unlearningLane().getRuns().add(published("forget", "uid-1", 2));
        model.getStatus().getServing().setVersion(1);
        assertCondition(derive(request(RolloutPolicy.MANUAL), Optional.of(model), null), RequestConditions.ROLLED_OUT,
                "False", "AwaitingApproval");
        UnlearningRequest approved = request(RolloutPolicy.MANUAL);
        approved.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));
        assertCondition(derive(approved, Optional.of(model), null), RequestConditions.ROLLED_OUT, "False",
                "RolloutInProgress");
        ShardedModel unserved = model(0);
        unserved.getStatus().unlearningLane().getRuns().add(published("forget", "uid-1", 2));
        unserved.getStatus().erasureLane().setLast(erasure(2));
        Derived d = derive(request(RolloutPolicy.MANUAL), Optional.of(unserved), null);
        assertCondition(d, RequestConditions.ROLLED_OUT, "True", "ServingDisabled");
        assertCondition(d, RequestConditions.COMPLETE, "True", "Complete");
    }

    @Test
    void anApproximateRunIsForgottenButOwesTheExactRetrainUnlessTheRequestOptedOut() {
        ShardedModel model = model(0);
        RunRecord approximate = published("forget", "uid-1", 2);
        approximate.setMethod(UnlearningMethod.SCRUB);
        model.getStatus().unlearningLane().getRuns().add(approximate);
        model.getStatus().erasureLane().setLast(erasure(2));
        ExactFollowUp owed = new ExactFollowUp();
        owed.setRequests(List.of(new RunMember("forget", "uid-1")));
        owed.setShards(List.of(0));
        owed.setDue("2026-12-01T10:00:00Z");
        model.getStatus().unlearningLane().getExactPending().add(owed);

        Derived pending = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(pending, RequestConditions.FORGOTTEN, "True", "ForgottenApproximately");
        assertCondition(pending, RequestConditions.EXACT_PENDING, "True", "ExactRetrainDue");
        assertThat(pending.status().getExactDue()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(pending.status().condition(RequestConditions.COMPLETE)).as("Complete means exact").isEmpty();

        UnlearningRequest optedOut = request(RolloutPolicy.AUTOMATIC);
        optedOut.getSpec().setExactFollowUp(false);
        Derived approximateDone = derive(optedOut, Optional.of(model), null);
        assertCondition(approximateDone, RequestConditions.EXACT_PENDING, "False", "NotRequested");
        assertCondition(approximateDone, RequestConditions.COMPLETE, "True", "CompleteApproximate");
        assertThat(approximateDone.status().getGuarantee()).isEqualTo(Guarantee.APPROXIMATE);

        BatchRun followUp = new BatchRun();
        followUp.setId("u2");
        followUp.setFollowUp(true);
        followUp.setRequests(List.of(new RunMember("forget", "uid-1")));
        followUp.setMethod(UnlearningMethod.EXACT);
        followUp.setShards(List.of(0));
        followUp.setPhase(RunPhase.UNLEARNING);
        followUp.setJobNames(List.of("m-unlearn-u2-exact"));
        model.getStatus().unlearningLane().setActiveRun(followUp);
        Derived retraining = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(retraining, RequestConditions.UNLEARNING, "True", "JobStarted");
        assertCondition(retraining, RequestConditions.EXACT_PENDING, "True", "ExactRetrainDue");
        assertThat(retraining.status().condition(RequestConditions.COMPLETE))
                .as("the exact run still running makes nothing complete").isEmpty();
        assertThat(retraining.status().getJobNames()).contains("m-unlearn-u2-exact");
        model.getStatus().unlearningLane().setActiveRun(null);

        RunRecord exact = published("forget", "uid-1", 3);
        exact.setId("u2");
        model.getStatus().unlearningLane().getRuns().add(exact);
        model.getStatus().unlearningLane().getExactPending().clear();
        model.getStatus().erasureLane().setLast(erasure(3));
        Derived done = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(done, RequestConditions.FORGOTTEN, "True", "ForgottenExactly");
        assertCondition(done, RequestConditions.EXACT_PENDING, "False", "Exact");
        assertCondition(done, RequestConditions.COMPLETE, "True", "Complete");
        assertThat(done.status().getResultingVersion()).isEqualTo(3);
        assertThat(done.status().getGuarantee()).isEqualTo(Guarantee.EXACT);
        assertThat(done.status().getExactDue()).isNull();
    }

    @Test
    void aFailedRunFailsItsRequestsWithTheRunsReason() {
        ShardedModel model = model(1);
        RunRecord failed = new RunRecord();
        failed.setId("u1");
        failed.setRequests(List.of(new RunMember("forget", "uid-1")));
        failed.setOutcome(RunOutcome.FAILED);
        failed.setReason(EventReason.VerificationFailed.name());
        failed.setMessage("the unlearned version missed [forgetAccuracy 0.6000 > 0.0200]");
        model.getStatus().unlearningLane().getRuns().add(failed);
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertCondition(d, RequestConditions.FAILED, "True", "VerificationFailed");
        assertCondition(d, RequestConditions.VERIFIED, "False", "VerificationFailed");
        assertCondition(d, RequestConditions.UNLEARNING, "False", "VerificationFailed");
        assertThat(d.notices()).anyMatch(n -> n.reason() == EventReason.VerificationFailed && n.warning());
    }

    @Test
    void aDryRunCopiesItsDetectionAndEndsAtDetectedNeverAtComplete() {
        ShardedModel model = model(1);
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        OutlierSelector outliers = new OutlierSelector();
        outliers.setDetector(OutlierDetectorType.ISOLATION_FOREST);
        outliers.setContamination(0.01);
        ForgetSelector forget = new ForgetSelector();
        forget.setOutliers(outliers);
        request.getSpec().setForget(forget);
        request.getSpec().setDryRun(true);
        assertThat(Methods.effective(model.getSpec(), UnlearningMethod.AUTO, RequestKind.of(request.getSpec())))
                .as("detected outliers route to Exact").isEqualTo(UnlearningMethod.EXACT);

        Derived waiting = derive(request, Optional.of(model), Planning.of(List.of(0)));
        assertCondition(waiting, RequestConditions.DETECTED, "False", "Detecting");
        assertThat(waiting.status().getPhase()).isEqualTo("Detecting");

        DetectionRecord record = new DetectionRecord();
        record.setRequest(new RunMember("forget", "uid-1"));
        record.setJobName("fmnist-detect-uid1");
        model.getStatus().getDetections().add(record);
        // A run that carried a request of the same name must not leak into a dry run's status.
        model.getStatus().unlearningLane().getRuns().add(published("forget", "uid-1", 2));
        assertCondition(derive(request, Optional.of(model), null), RequestConditions.DETECTED, "False", "Detecting");

        DetectionReport report = new DetectionReport();
        report.setFound(12);
        report.setPerClass(Map.of("0", 4, "1", 8));
        report.setReport("models/team/fmnist/detections/uid-1.json");
        report.setReportDigest("ab".repeat(32));
        record.setReport(report);
        Derived done = derive(request, Optional.of(model), null);
        assertCondition(done, RequestConditions.DETECTED, "True", "DryRun");
        assertThat(done.status().getPhase()).isEqualTo("Reported");
        assertThat(done.status().getDetection().getFound()).isEqualTo(12);
        assertThat(done.status().getResultingVersion()).as("nothing was published for a dry run").isNull();
        assertThat(done.status().condition(RequestConditions.COMPLETE)).isEmpty();
        assertThat(done.status().getJobNames()).containsExactly("fmnist-detect-uid1");
        UnlearningRequest ended = request(RolloutPolicy.AUTOMATIC);
        ended.setSpec(request.getSpec());
        ended.setStatus(done.status());
        assertThat(RequestConditions.ended(ended)).isTrue();

        record.setReport(null);
        record.setReason(EventReason.DetectionFailed.name());
        record.setMessage("the detect Job failed (INVALID_INPUT)");
        Derived failed = derive(request, Optional.of(model), null);
        assertCondition(failed, RequestConditions.FAILED, "True", "DetectionFailed");
        assertThat(failed.status().getPhase()).isEqualTo("Failed");
    }

    @Test
    void aRunOfAnEarlierRequestWithTheSameNameIsNotThisRequests() {
        ShardedModel model = model(1);
        model.getStatus().unlearningLane().getRuns().add(published("forget", "uid-of-a-deleted-request", 2));
        Derived d = derive(request(RolloutPolicy.AUTOMATIC), Optional.of(model), null);
        assertThat(d.status().getResultingVersion()).isNull();
        assertThat(d.status().condition(RequestConditions.VERIFIED)).isEmpty();
    }

    @Test
    void aPassedDeadlineIsReportedOnce() {
        UnlearningRequest late = request(RolloutPolicy.AUTOMATIC);
        late.getSpec().setDeadline("2026-11-30T09:00:00Z");
        Derived d = derive(late, Optional.of(model(1)), null);
        assertCondition(d, RequestConditions.DEADLINE_EXCEEDED, "True", "DeadlinePassed");
        assertThat(d.status().getDeadlineExceeded()).isTrue();
        assertThat(d.notices()).extracting(n -> n.reason()).contains(EventReason.DeadlineExceeded);
        late.setStatus(d.status());
        Derived again = aggregator.derive(late, d.status(), Optional.of(model(1)), null, NOW);
        assertThat(again.notices()).isEmpty();
    }

    @Test
    void anApiErrorIsRecordedAsDegradedWithTheServersMessageAndClearedByTheNextPass() {
        UnlearningRequestStatus status = new UnlearningRequestStatus();
        KubernetesClientException refused = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withMessage("status.affectedShards: Invalid value").build());
        aggregator.reconcileError(request(RolloutPolicy.AUTOMATIC), status, new IllegalStateException("reconcile", refused));
        var degraded = status.condition(RequestConditions.DEGRADED).orElseThrow();
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ReconcileError");
        assertThat(degraded.getMessage()).isEqualTo("API error 422: status.affectedShards: Invalid value");
        UnlearningRequest request = request(RolloutPolicy.AUTOMATIC);
        Derived next = aggregator.derive(request, status, Optional.of(model(1)), Planning.of(List.of(0)), NOW);
        assertThat(next.status().condition(RequestConditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
    }

    Derived derive(UnlearningRequest request, Optional<ShardedModel> model, Planning planning) {
        UnlearningRequestStatus status = new UnlearningRequestStatus();
        if (planning == null && model.isPresent()) {
            status.setAffectedShards(List.of(0, 2));
        }
        return aggregator.derive(request, status, model, planning, NOW);
    }

    static void assertCondition(Derived d, String type, String status, String reason) {
        var condition = d.status().condition(type).orElseThrow(() -> new AssertionError("no condition " + type));
        assertThat(condition.getStatus()).as(type).isEqualTo(status);
        assertThat(condition.getReason()).as(type).isEqualTo(reason);
        assertThat(condition.getMessage()).as(type).isNotBlank();
        assertThat(condition.getLastTransitionTime()).isEqualTo(NOW.toString());
    }

    static ErasureRecord erasure(int served) {
        ErasureRecord record = new ErasureRecord();
        record.setServedVersion(served);
        record.setKeptVersions(List.of(served));
        record.setErasedVersions(List.of(served - 1));
        record.setErasedBlobs(4);
        CertificateReference certificate = new CertificateReference();
        certificate.setDigest("erasure-" + served);
        record.setCertificate(certificate);
        return record;
    }

    static RunRecord published(String name, String uid, int version) {
        RunRecord run = new RunRecord();
        run.setId("u1");
        run.setRequests(List.of(new RunMember(name, uid)));
        run.setMethod(UnlearningMethod.EXACT);
        run.setOutcome(RunOutcome.PUBLISHED);
        run.setReason(EventReason.Verified.name());
        run.setVersion(version);
        CertificateReference certificate = new CertificateReference();
        certificate.setDigest("cert-" + version);
        run.setCertificate(certificate);
        run.setMetricsAfter(Map.of("testAccuracy", 0.84));
        run.setForgottenRecords(2);
        run.setUnknownRecords(0);
        run.setJobNames(List.of("m-unlearn-u1-exact", "m-finalize-u1-exact"));
        return run;
    }

    static UnlearningRequest request(RolloutPolicy rollout) {
        UnlearningRequest r = new UnlearningRequest();
        r.setMetadata(new ObjectMetaBuilder().withName("forget").withNamespace("ns").withUid("uid-1")
                .withGeneration(4L).build());
        UnlearningRequestSpec spec = new UnlearningRequestSpec();
        ModelReference ref = new ModelReference();
        ref.setName("m");
        spec.setModelRef(ref);
        spec.setRollout(rollout);
        r.setSpec(spec);
        return r;
    }

    static ShardedModel model(int replicas) {
        ShardedModel m = new ShardedModel();
        m.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").withUid("model-uid").build());
        ShardedModelSpec spec = new ShardedModelSpec();
        DatasetSpec data = new DatasetSpec();
        data.setUri("file:///data/fashion");
        spec.setDataset(data);
        ShardingSpec sharding = new ShardingSpec();
        sharding.setShards(4);
        spec.setSharding(sharding);
        ServingSpec serving = new ServingSpec();
        serving.setReplicas(replicas);
        spec.setServing(serving);
        m.setSpec(spec);
        m.setStatus(new ShardedModelStatus());
        m.getStatus().getPublished().setCurrentVersion(1);
        return m;
    }
}

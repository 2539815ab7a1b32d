package dev.unlearning.operator;

import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.worker.InputPins;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.unlearning.api.DetectionRecord;
import dev.unlearning.api.DetectionReport;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.worker.DetectionResult;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.JobOutcome.JobPhase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Dry runs of {@code forget.outliers} requests: one detect Job per accepted request, beside whatever else the
 * model runs (it reads the data and writes a report, never a version). The outcome goes into the model's status,
 * which the request copies, as with unlearning runs; the record leaves once the request ended.
 */
public class DetectionStep {

    private final KubernetesClient client;
    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final IdDigestKeys idKeys;

    public DetectionStep(KubernetesClient client, StepTools tools, IdDigestKeys idKeys) {
        this.client = client;
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.idKeys = idKeys;
    }

    public void step(ModelReconcile reconcile) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        List<UnlearningRequest> requests = reconcile.requests();
        List<DetectionRecord> live = new ArrayList<>(status.getDetections().stream()
                .filter(d -> requests.stream().anyMatch(r -> d.getRequest().is(r) && !RequestConditions.ended(r)))
                .toList());
        for (UnlearningRequest request : requests) {
            if (request.getSpec().dryRun() && RequestConditions.isTrue(request, RequestConditions.ACCEPTED)
                    && !RequestConditions.ended(request) && live.stream().noneMatch(d -> d.getRequest().is(request))) {
                live.add(start(model, request));
            }
        }
        for (DetectionRecord record : live) {
            if (!record.ended()) {
                observe(model, requests.stream().filter(r -> record.getRequest().is(r)).findFirst().orElseThrow(),
                        record);
            }
        }
        status.setDetections(live);
    }

    private DetectionRecord start(ShardedModel model, UnlearningRequest request) {
        RunMember member = new RunMember(request.getMetadata().getName(), request.getMetadata().getUid());
        DetectionRecord record = new DetectionRecord();
        record.setRequest(member);
        launch(model, request, record);
        events.normal(model, EventReason.DetectionStarted, "dry run of request " + member.getName() + ": Job "
                + record.getJobName());
        return record;
    }

    /** Writes the request's file and starts the Job that reads it, pinned by the file's digest. */
    private void launch(ShardedModel model, UnlearningRequest request, DetectionRecord record) {
        ConfigMap files = ModelFiles.requests(model, JobFactory.detectJobName(model, record.getRequest()),
                JobFactory.detectionRun(record.getRequest()), List.of(request),
                r -> PrivateSelectors.of(client, r, idKeys.ensure(model.getMetadata().getNamespace())));
        client.resource(files).forceConflicts().serverSideApply();
        jobs.start(model, factory.detecting(model, record.getRequest(), InputPins.digest(files.getData())), record);
    }

    private void observe(ShardedModel model, UnlearningRequest request, DetectionRecord record) {
        Job job = jobs.recorded(model.getMetadata().getNamespace(), record);
        JobOutcome<DetectionResult> outcome = observer.observe(job, DetectionResult.class);
        if (outcome.phase() == JobPhase.MISSING) {
            // Deleted before it finished (by hand, or its TTL raced us): run it again; the report is rewritten.
            launch(model, request, record);
            return;
        }
        if (outcome.phase() == JobPhase.RUNNING) {
            return;
        }
        if (outcome.phase() == JobPhase.SUCCEEDED && outcome.result() != null) {
            DetectionResult result = outcome.result();
            DetectionReport report = new DetectionReport();
            report.setFound(result.found());
            report.setPerClass(result.perClass());
            report.setReport(result.report());
            report.setReportDigest(result.reportDigest());
            report.setDataDigest(result.dataDigest());
            record.setReport(report);
            events.normal(model, EventReason.Detected, "dry run of request " + record.getRequest().getName() + ": "
                    + result.found() + " record(s) found");
            return;
        }
        record.setReason(outcome.phase() == JobPhase.SUCCEEDED ? EventReason.ResultMissing.name()
                : EventReason.DetectionFailed.name());
        record.setMessage(outcome.phase() == JobPhase.SUCCEEDED ? "the detect Job succeeded without a readable result: "
                + outcome.resultProblem() : "the detect Job failed"
                        + (outcome.exitCode() == null ? "" : " (" + outcome.exitCode() + ")")
                        + (outcome.failure() == null ? "" : ": " + outcome.failure()));
        events.warning(model, EventReason.valueOf(record.getReason()), record.getMessage());
    }
}

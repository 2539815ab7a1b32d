package dev.unlearning.operator.status;

import dev.unlearning.operator.conventions.Conditions;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.DetectionRecord;
import dev.unlearning.api.DetectionReport;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.UnlearningRequestStatus;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.operator.conventions.ModelConditions;
import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.operator.planning.ModelFamilies;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Derives an UnlearningRequest's status from what it can see: its own spec, its model (whose status records
 * the run that carries the request and how that run ended) and the clock. The request's reconciler is the
 * only writer of this status; the model's reconciler never touches it.
 */
public final class RequestStatusAggregator {

    /** The request's shards, or why they could not be planned. */
    public record Planning(List<Integer> affectedShards, String problem) {
        public static Planning of(List<Integer> shards) {
            return new Planning(shards, null);
        }

        public static Planning failed(String problem) {
            return new Planning(null, problem);
        }
    }

    /** An Event to emit because a condition changed. */
    public record Notice(EventReason reason, boolean warning, String message) {
    }

    /** The new status and the Events its transitions deserve. */
    public record Derived(UnlearningRequestStatus status, List<Notice> notices) {
    }

    private final Conditions conditions;

    public RequestStatusAggregator(Clock clock) {
        this.conditions = new Conditions(clock);
    }

    /**
     * @param status a copy of the request's status to change
     * @param planning null when the request was planned already (its shards never change once planned)
     */
    public Derived derive(UnlearningRequest request, UnlearningRequestStatus status, Optional<ShardedModel> model,
            Planning planning, Instant now) {
        RequestConditionWriter w = new RequestConditionWriter(conditions, status,
                request.getMetadata().getGeneration());
        w.set(RequestConditions.DEGRADED, Conditions.FALSE, "Healthy", "reconciled", null);
        String modelName = request.getSpec().getModelRef().getName();
        if (model.isEmpty()) {
            w.set(RequestConditions.ACCEPTED, Conditions.FALSE, "ModelNotFound", "no ShardedModel " + modelName
                    + " in namespace " + request.getMetadata().getNamespace(), new Notice(EventReason.ModelNotFound,
                            true, "ShardedModel " + modelName + " does not exist in this namespace"));
            return w.done();
        }
        Optional<String> unsupported = ModelFamilies.unsupported(model.get().getSpec(), request.getSpec());
        if (unsupported.isPresent()) {
            w.set(RequestConditions.ACCEPTED, Conditions.FALSE, "NotSupportedByModel", unsupported.get(),
                    new Notice(EventReason.NotSupportedByModel, true, unsupported.get()));
            return w.done();
        }
        Optional<String> unmeasurable = Gates.unmeasurable(model.get().getSpec(), request.getSpec());
        if (unmeasurable.isPresent()) {
            w.set(RequestConditions.ACCEPTED, Conditions.FALSE, "ThresholdNotMeasurable", unmeasurable.get(),
                    new Notice(EventReason.ThresholdNotMeasurable, true, unmeasurable.get()));
            return w.done();
        }
        if (planning != null && planning.problem() != null) {
            w.set(RequestConditions.ACCEPTED, Conditions.FALSE, "ListNotFound", planning.problem(),
                    new Notice(EventReason.ListNotFound, true, planning.problem()));
            return w.done();
        }
        if (planning != null) {
            status.setAffectedShards(planning.affectedShards());
            w.set(RequestConditions.PLANNED, Conditions.TRUE, "ShardsPlanned", planning.affectedShards().size()
                    + " of " + model.get().getSpec().getSharding().getShards() + " shards hold the requested records",
                    null);
        }
        w.set(RequestConditions.ACCEPTED, Conditions.TRUE, "Accepted", "model " + modelName + " found",
                new Notice(EventReason.Accepted, false, status.getAffectedShards().size() + " shard(s) affected"));
        Instant deadline = deadline(request);
        if (deadline != null && now.isAfter(deadline)) {
            status.setDeadlineExceeded(true);
            w.set(RequestConditions.DEADLINE_EXCEEDED, Conditions.TRUE, "DeadlinePassed", "the deadline "
                    + request.getSpec().getDeadline() + " passed before the request completed",
                    new Notice(EventReason.DeadlineExceeded, true, "deadline " + request.getSpec().getDeadline()
                            + " passed"));
        }
        var modelStatus = model.get().getStatus();
        if (request.getSpec().dryRun()) {
            dryRun(w, request, status, modelStatus);
            return w.done();
        }
        if (modelStatus != null) {
            Optional<RunRecord> last = modelStatus.unlearningLane().getRuns().stream()
                    .filter(r -> r.getRequests().stream().anyMatch(m -> m.is(request))).reduce((a, b) -> b);
            last.ifPresent(run -> ended(w, status, run));
            // After the records, so a run carrying the request now (an exact follow-up) shows as in progress.
            BatchRun active = modelStatus.unlearningLane().getActiveRun();
            boolean carriedNow = active != null && active.getRequests().stream().anyMatch(m -> m.is(request));
            if (carriedNow) {
                carried(w, status, active);
            }
            // The run carrying this request (or the training it waits for) is held back by Kueue: say so and why.
            Optional<String> waiting = modelStatus.condition(ModelConditions.QUEUED)
                    .filter(c -> Conditions.TRUE.equals(c.getStatus()) && (carriedNow || active == null))
                    .map(c -> c.getMessage());
            w.set(RequestConditions.QUEUED, waiting.isPresent() ? Conditions.TRUE : Conditions.FALSE,
                    waiting.isPresent() ? "WaitingForQuota" : "NotWaiting",
                    waiting.orElse("no Job this request needs waits for quota"), null);
            if (last.isPresent() && last.get().getOutcome() == RunOutcome.PUBLISHED) {
                // Judged by the run that made the version, never by one still running.
                RequestRollout.rollout(w, request, status, model.get(), last.get().getMethod());
            }
        }
        return w.done();
    }

    /** A dry run ends at Detected (or Failed), never at Complete: nothing was forgotten. */
    private static void dryRun(RequestConditionWriter w, UnlearningRequest request, UnlearningRequestStatus status,
            ShardedModelStatus model) {
        Optional<DetectionRecord> record = model == null ? Optional.empty() : model.getDetections().stream()
                .filter(d -> d.getRequest().is(request)).findFirst();
        record.ifPresent(d -> addJobs(status, List.of(d.getJobName())));
        if (record.isEmpty() || !record.get().ended()) {
            w.set(RequestConditions.DETECTED, Conditions.FALSE, "Detecting", record.map(d -> "Job " + d.getJobName()
                    + " runs the detector").orElse("the detect Job is being created"), null);
            return;
        }
        DetectionRecord ended = record.get();
        if (ended.getReport() == null) {
            w.set(RequestConditions.DETECTED, Conditions.FALSE, ended.getReason(), ended.getMessage(), null);
            w.set(RequestConditions.FAILED, Conditions.TRUE, ended.getReason(), ended.getMessage(),
                    new Notice(EventReason.valueOf(ended.getReason()), true, ended.getMessage()));
            return;
        }
        DetectionReport report = ended.getReport();
        status.setDetection(report);
        String message = "dry run: " + report.getFound() + " record(s) would be forgotten and none was; their keyed "
                + "digests are in " + report.getReport();
        w.set(RequestConditions.DETECTED, Conditions.TRUE, "DryRun", message,
                new Notice(EventReason.Detected, false, message));
    }

    private static void carried(RequestConditionWriter w, UnlearningRequestStatus status, BatchRun run) {
        status.setBatch(run.getId());
        status.setMethod(run.getMethod());
        addJobs(status, run.getJobNames());
        w.set(RequestConditions.UNLEARNING, Conditions.TRUE, "JobStarted", "run " + run.getId() + " unlearns "
                + run.getShards().size() + " shard(s) with " + run.getMethod(), null);
        if (run.getFallbackReason() != null) {
            w.set(RequestConditions.VERIFIED, Conditions.FALSE, "VerificationFailed", "the approximate result missed "
                    + run.getFallbackReason() + "; retrying with Exact", null);
        }
    }

    private static void ended(RequestConditionWriter w, UnlearningRequestStatus status, RunRecord run) {
        status.setBatch(run.getId());
        status.setMethod(run.getMethod());
        addJobs(status, run.getJobNames());
        if (run.getOutcome() == RunOutcome.PUBLISHED) {
            status.setResultingVersion(run.getVersion());
            status.setCertificate(run.getCertificate());
            status.setMetricsBefore(run.getMetricsBefore());
            status.setMetricsAfter(run.getMetricsAfter());
            status.setForgottenRecords(run.getForgottenRecords());
            status.setUnknownRecords(run.getUnknownRecords());
            w.set(RequestConditions.UNLEARNING, Conditions.FALSE, "Done", "unlearning finished", null);
            w.set(RequestConditions.VERIFIED, Conditions.TRUE, "VerificationPassed", "version " + run.getVersion()
                    + " met the verification thresholds", new Notice(EventReason.Verified, false, "version "
                            + run.getVersion() + " verified; certificate "
                            + (run.getCertificate() == null ? "none" : run.getCertificate().getDigest())));
            return;
        }
        w.set(RequestConditions.UNLEARNING, Conditions.FALSE, run.getReason(), run.getMessage(), null);
        if (EventReason.VerificationFailed.name().equals(run.getReason())) {
            w.set(RequestConditions.VERIFIED, Conditions.FALSE, run.getReason(), run.getMessage(), null);
        }
        w.set(RequestConditions.FAILED, Conditions.TRUE, run.getReason(), run.getMessage(),
                new Notice(EventReason.valueOf(run.getReason()), true, run.getMessage()));
    }

    /** The condition recorded when a reconcile failed on an API error; the next pass clears it. */
    public void reconcileError(UnlearningRequest request, UnlearningRequestStatus status, Exception error) {
        Long generation = request.getMetadata().getGeneration();
        conditions.set(status.getConditions(), RequestConditions.DEGRADED, Conditions.TRUE, "ReconcileError",
                ErrorMessages.of(error), generation == null ? 0 : generation);
    }

    private static void addJobs(UnlearningRequestStatus status, List<String> jobs) {
        List<String> names = new ArrayList<>(status.getJobNames());
        jobs.stream().filter(j -> !names.contains(j)).forEach(names::add);
        status.setJobNames(names);
    }

    public static Instant deadline(UnlearningRequest request) {
        String deadline = request.getSpec().getDeadline();
        return deadline == null ? null : OffsetDateTime.parse(deadline).toInstant();
    }
}

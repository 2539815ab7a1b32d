package dev.unlearning.operator;

import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.planning.BatchPlanner;
import dev.unlearning.operator.planning.Durations;
import dev.unlearning.operator.planning.ExclusiveWork;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.UnlearningRun;
import dev.unlearning.operator.planning.UnlearningRun.Fail;
import dev.unlearning.operator.planning.UnlearningRun.FallBackToExact;
import dev.unlearning.operator.planning.UnlearningRun.Publish;
import dev.unlearning.operator.planning.UnlearningRun.StartFinalize;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a model's UnlearningRequests, one run at a time: asks {@link BatchPlanner} what to start and
 * {@link UnlearningRun} what a run's Job outcome means, then applies the answer — Jobs, the model's own
 * status (the active run, and each finished run's outcome for its requests to read), Events and metrics. It
 * never writes a request's status.
 */
public class UnlearningStep implements ExclusiveStep {

    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final CertificateIssuer certificates;
    private final RunJobs runJobs;
    private final Duration followUpRetry;

    public UnlearningStep(KubernetesClient client, StepTools tools, IdDigestKeys idKeys, Duration followUpRetry) {
        this.followUpRetry = followUpRetry;
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.metrics = tools.metrics();
        this.clock = tools.clock();
        this.certificates = tools.certificates();
        this.runJobs = new RunJobs(client, tools.jobs(), tools.clock(), idKeys);
    }

    /** Drops what ended requests no longer need: run records and owed retrains. Runs in every lane. */
    public void tidy(ShardedModelStatus status, List<UnlearningRequest> requests) {
        RunRecords.forgetEnded(status, requests);
        ExactFollowUps.forgetEnded(status, requests);
    }

    /**
     * Advances the model's unlearning while it holds the model ({@link ExclusiveWork}): follows the run in flight or
     * starts the next one; returns when to look again if nothing else will wake the reconciler.
     */
    @Override
    public ExclusiveWork.Lane lane() {
        return ExclusiveWork.Lane.UNLEARNING;
    }

    @Override
    public Optional<Duration> advance(ModelReconcile reconcile) {
        ShardedModel model = reconcile.model();
        ShardedModelStatus status = reconcile.status();
        List<UnlearningRequest> requests = reconcile.requests();
        if (status.unlearningLane().getActiveRun() != null) {
            advance(model, status, requests);
            return Optional.empty();
        }
        Instant now = reconcile.now();
        var plan = BatchPlanner.plan(RunMembership.pending(model, status, requests), ExactFollowUps.planned(status),
                Duration.ofSeconds(model.getSpec().getUnlearning().getBatchingWindowSeconds()),
                exactWithin(model).dividedBy(2), now, status.unlearningLane().getStarted() + 1, status.getPublished().getCurrentVersion());
        if (plan instanceof BatchPlanner.WaitUntil wait) {
            return Optional.of(Duration.between(now, wait.due()).plusMillis(200));
        }
        if (plan instanceof BatchPlanner.Start start) {
            start(model, status, start.run(), requests);
        }
        return Optional.empty();
    }

    private void start(ShardedModel model, ShardedModelStatus status, BatchRun run, List<UnlearningRequest> all) {
        List<UnlearningRequest> members = RunMembership.members(run, all);
        runJobs.writeRequests(model, run, members);
        runJobs.start(model, run, factory.unlearning(model, run));
        status.unlearningLane().setActiveRun(run);
        status.unlearningLane().setStarted(status.unlearningLane().getStarted() + 1);
        metrics.request("started", model.getMetadata().getUid() + "/" + run.getId(), members.size());
        events.normal(model, EventReason.UnlearningStarted, "run " + run.getId() + ": " + members.size()
                + " request(s), " + run.getShards().size() + " shard(s), " + run.getMethod());
    }

    private void advance(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        BatchRun run = status.unlearningLane().getActiveRun();
        boolean finalizing = run.getPhase() == RunPhase.FINALIZING;
        Job job = jobs.recorded(model.getMetadata().getNamespace(), run);
        JobOutcome<FinalizeResult> outcome = observer.observe(job, finalizing ? FinalizeResult.class : null);
        // The gate finalize was given, not the one the spec would give now: that is what its result must meet
        // and what the certificate states.
        VerificationSpec applied = finalizing && job != null ? JobFactory.gateOf(job) : null;
        if (outcome.finished()) {
            metrics.jobFinished(run.getJobName(), finalizing ? "finalize" : "unlearn",
                    outcome.phase() == JobOutcome.JobPhase.SUCCEEDED, run.getStartedAt(), Instant.now(clock));
        }
        String key = model.getMetadata().getUid() + "/" + run.getId();
        UnlearningRun.Transition next = UnlearningRun.next(run, outcome, applied);
        if (next instanceof StartFinalize) {
            run.setPhase(RunPhase.FINALIZING);
            runJobs.start(model, run, factory.finalizing(model, run, gate(model, run, requests)));
        } else if (next instanceof FallBackToExact f) {
            run.setMethod(UnlearningMethod.EXACT);
            run.setFallbackToExact(false);
            run.setFallbackReason(f.failures());
            run.setPhase(RunPhase.UNLEARNING);
            runJobs.start(model, run, factory.unlearning(model, run));
            metrics.request("fallback", key, run.getRequests().size());
            events.warning(model, EventReason.FallingBackToExact, "run " + run.getId() + " missed its thresholds "
                    + f.failures());
        } else if (next instanceof Publish p) {
            published(model, status, run, p.result(), applied, requests);
            metrics.request("verified", key, run.getRequests().size());
            metrics.run(key, run.getMethod(), "published");
        } else if (next instanceof Fail f) {
            if (run.getFollowUp()) {
                Instant again = ExactFollowUps.retryLater(status, run, f.message(), followUpRetry, Instant.now(clock));
                events.warning(model, EventReason.ExactFollowUpRetrying, "the exact follow-up " + run.getId()
                        + " failed; the approximate version still holds the records on shards " + run.getShards()
                        + ", so it runs again at " + again);
            }
            RunRecords.add(status, RunRecords.of(run, RunOutcome.FAILED, f.reason().name(),
                    (run.getFollowUp() ? "the exact follow-up failed: " : "") + f.message(), Instant.now(clock)));
            status.unlearningLane().setActiveRun(null);
            RunFailures.failed(status, f.message());
            metrics.request("failed", key, run.getRequests().size());
            metrics.run(key, run.getMethod(), "failed");
            events.warning(model, f.reason(), "run " + run.getId() + ": " + f.message());
        }
    }

    private void published(ShardedModel model, ShardedModelStatus status, BatchRun run, FinalizeResult result,
            VerificationSpec gate, List<UnlearningRequest> requests) {
        Instant now = Instant.now(clock);
        int version = result.version();
        VersionPublication.unlearned(status, run, result, now);
        RunRecord record = RunRecords.of(run, RunOutcome.PUBLISHED, EventReason.Verified.name(),
                "version " + version + " met the verification thresholds", now);
        record.setVersion(version);
        // Signed here, by the operator: the worker that ran the tenant's image only supplies evidence.
        record.setCertificate(certificates.unlearning(model, run, result, gate));
        record.setMetricsBefore(byKey(result.metricsBefore()));
        record.setMetricsAfter(byKey(result.metricsAfter()));
        record.setForgottenRecords(result.forgotten());
        record.setUnknownRecords(result.unknown());
        RunRecords.add(status, record);
        status.unlearningLane().setActiveRun(null);
        events.normal(model, EventReason.VersionPublished, "version " + version + " published by run " + run.getId());
        ExactFollowUps.afterPublish(status, run, version, RunMembership.members(run, requests), exactWithin(model), now)
                .ifPresent(owed -> events.normal(model, EventReason.ExactFollowUpScheduled, "run " + run.getId()
                        + " forgot approximately; shards " + owed.getShards() + " are retrained exactly by "
                        + owed.getDue()));
    }

    private static Duration exactWithin(ShardedModel model) {
        return Durations.parse(model.getSpec().getUnlearning().getExactWithin());
    }

    private static Map<String, Double> byKey(Measurements measurements) {
        return measurements == null ? null : measurements.byKey();
    }

    /** The run's gate as the finalize Job applies it and the certificate records it. */
    private static VerificationSpec gate(ShardedModel model, BatchRun run, List<UnlearningRequest> requests) {
        List<UnlearningRequest> members = RunMembership.members(run, requests);
        return Gates.merge(model.getSpec().getVerification(),
                members.stream().map(r -> r.getSpec().getVerification()).toList(),
                Gates.kind(members.stream().map(UnlearningRequest::getSpec).toList()));
    }
}

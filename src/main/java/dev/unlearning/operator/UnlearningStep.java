package dev.unlearning.operator;

import dev.unlearning.operator.conventions.RequestConditions;
import dev.unlearning.operator.conventions.EventReason;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.ExactFollowUp;
import dev.unlearning.api.RunMember;
import dev.unlearning.api.RunOutcome;
import dev.unlearning.api.RunPhase;
import dev.unlearning.api.RunRecord;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.VersionRecord;
import dev.unlearning.api.worker.FinalizeResult;
import dev.unlearning.api.worker.Measurements;
import dev.unlearning.operator.certificates.CertificateIssuer;
import dev.unlearning.operator.certificates.IdDigestKeys;
import dev.unlearning.store.IdDigestKey;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.operator.planning.BatchPlanner;
import dev.unlearning.operator.planning.Durations;
import dev.unlearning.operator.planning.Gates;
import dev.unlearning.operator.planning.JobOutcome;
import dev.unlearning.operator.planning.Methods;
import dev.unlearning.operator.planning.RequestKind;
import dev.unlearning.operator.planning.PendingRequest;
import dev.unlearning.operator.planning.UnlearningRun;
import dev.unlearning.operator.planning.UnlearningRun.Fail;
import dev.unlearning.operator.planning.UnlearningRun.FallBackToExact;
import dev.unlearning.operator.planning.UnlearningRun.Publish;
import dev.unlearning.operator.planning.UnlearningRun.StartFinalize;
import dev.unlearning.operator.status.RequestStatusAggregator;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Carries out a model's UnlearningRequests, one run at a time: asks {@link BatchPlanner} what to start and
 * {@link UnlearningRun} what a run's Job outcome means, then applies the answer — Jobs, the model's own
 * status (the active run, and each finished run's outcome for its requests to read), Events and metrics. It
 * never writes a request's status.
 */
public class UnlearningStep {

    static final String BATCH_ANNOTATION = "unlearning.dev/batch";
    /** A backstop on status size; records normally leave once their requests have ended. */
    static final int MAX_RUN_RECORDS = 100;

    private final KubernetesClient client;
    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final CertificateIssuer certificates;
    private final IdDigestKeys idKeys;

    public UnlearningStep(KubernetesClient client, StepTools tools, IdDigestKeys idKeys) {
        this.idKeys = idKeys;
        this.client = client;
        this.factory = tools.factory();
        this.jobs = tools.jobs();
        this.observer = tools.observer();
        this.events = tools.events();
        this.metrics = tools.metrics();
        this.clock = tools.clock();
        this.certificates = tools.certificates();
    }

    /** Drops what ended requests no longer need: run records and owed retrains. Runs in every lane. */
    public void tidy(ShardedModelStatus status, List<UnlearningRequest> requests) {
        forgetEndedRuns(status, requests);
        forgetEndedFollowUps(status, requests);
    }

    /**
     * Advances the model's unlearning while it holds the model ({@link dev.unlearning.operator.planning.ExclusiveWork}):
     * follows the run in flight or starts the next one; returns when to look again if nothing else will wake the
     * reconciler.
     */
    public Optional<Duration> step(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        if (status.getActiveBatch() != null) {
            advance(model, status, requests);
            return Optional.empty();
        }
        Instant now = Instant.now(clock);
        Duration exactWithin = Durations.parse(model.getSpec().getUnlearning().getExactWithin());
        var plan = BatchPlanner.plan(pending(model, status, requests), followUps(status),
                Duration.ofSeconds(model.getSpec().getUnlearning().getBatchingWindowSeconds()),
                exactWithin.dividedBy(2), now, status.getBatchesStarted() + 1, status.getCurrentVersion());
        if (plan instanceof BatchPlanner.WaitUntil wait) {
            return Optional.of(Duration.between(now, wait.due()).plusMillis(200));
        }
        if (plan instanceof BatchPlanner.Start start) {
            start(model, status, start.run(), requests);
        }
        return Optional.empty();
    }

    /**
     * Accepted and planned requests that no run carries or carried. A request named by a run the status never
     * recorded (the operator died in between) is pending too: planning it again finds that run's Job by name.
     */
    private static List<PendingRequest> pending(ShardedModel model, ShardedModelStatus status,
            List<UnlearningRequest> requests) {
        return requests.stream()
                .filter(r -> RequestConditions.isTrue(r, RequestConditions.ACCEPTED)
                        && RequestConditions.isTrue(r, RequestConditions.PLANNED) && !RequestConditions.ended(r)
                        && !r.getSpec().dryRun())
                .filter(r -> status.getRuns().stream().noneMatch(run -> carries(run.getRequests(), r)))
                .map(r -> new PendingRequest(member(r), Methods.effective(model.getSpec(), r.getSpec().getMethod(),
                        RequestKind.of(r.getSpec())), Methods.isAuto(r.getSpec().getMethod()),
                        Instant.parse(r.getStatus().condition(RequestConditions.ACCEPTED).orElseThrow()
                                .getLastTransitionTime()),
                        RequestStatusAggregator.deadline(r),
                        Instant.parse(r.getMetadata().getCreationTimestamp()), r.getStatus().getAffectedShards()))
                .toList();
    }

    /** Owed exact retrains of deleted or ended requests are dropped. */
    private static void forgetEndedFollowUps(ShardedModelStatus status, List<UnlearningRequest> requests) {
        List<ExactFollowUp> live = status.getExactPending().stream()
                .filter(f -> f.getRequests().stream().anyMatch(m -> requests.stream()
                        .anyMatch(r -> m.is(r) && !RequestConditions.ended(r))))
                .toList();
        if (live.size() != status.getExactPending().size()) {
            status.setExactPending(new ArrayList<>(live));
        }
    }

    private static List<BatchPlanner.FollowUp> followUps(ShardedModelStatus status) {
        return status.getExactPending().stream().map(f -> new BatchPlanner.FollowUp(f.getRequests(), f.getShards(),
                Instant.parse(f.getDue()))).toList();
    }

    private void start(ShardedModel model, ShardedModelStatus status, BatchRun planned, List<UnlearningRequest> all) {
        BatchRun run = adoptExisting(model, planned);
        List<UnlearningRequest> members = members(run, all);
        IdDigestKey key = idKeys.ensure(model.getMetadata().getNamespace());
        client.resource(ModelFiles.requests(model, JobFactory.requestsConfigMapName(model, run), run.getId(), members,
                r -> PrivateSelectors.of(client, r, key))).forceConflicts().serverSideApply();
        startJob(run, annotated(factory.unlearning(model, run), run));
        status.setActiveBatch(run);
        status.setBatchesStarted(status.getBatchesStarted() + 1);
        metrics.request("started", model.getMetadata().getUid() + "/" + run.getId(), members.size());
        events.normal(model, EventReason.UnlearningStarted, "run " + run.getId() + ": " + members.size()
                + " request(s), " + run.getShards().size() + " shard(s), " + run.getMethod());
    }

    /**
     * After an operator restart the run may already have a Job; its annotation says which requests it really
     * carries, so the status follows the Job instead of re-planning around it.
     */
    private BatchRun adoptExisting(ShardedModel model, BatchRun planned) {
        Job existing = jobs.get(model.getMetadata().getNamespace(), JobFactory.unlearnJobName(model, planned));
        String recorded = existing == null || existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(BATCH_ANNOTATION);
        return recorded == null ? planned : client.getKubernetesSerialization().unmarshal(recorded, BatchRun.class);
    }

    private Job annotated(Job job, BatchRun run) {
        job.getMetadata().setAnnotations(Map.of(BATCH_ANNOTATION, client.getKubernetesSerialization().asJson(run)));
        return job;
    }

    private void startJob(BatchRun run, Job job) {
        String name = jobs.ensure(job).getMetadata().getName();
        run.setJobName(name);
        List<String> names = new ArrayList<>(run.getJobNames());
        if (!names.contains(name)) {
            names.add(name);
        }
        run.setJobNames(names);
        run.setStartedAt(Instant.now(clock).toString());
    }

    private void advance(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        BatchRun run = status.getActiveBatch();
        boolean finalizing = run.getPhase() == RunPhase.FINALIZING;
        Job job = jobs.get(model.getMetadata().getNamespace(), run.getJobName());
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
            startJob(run, factory.finalizing(model, run, gate(model, run, requests)));
        } else if (next instanceof FallBackToExact f) {
            run.setMethod(UnlearningMethod.EXACT);
            run.setFallbackToExact(false);
            run.setFallbackReason(f.failures());
            run.setPhase(RunPhase.UNLEARNING);
            startJob(run, annotated(factory.unlearning(model, run), run));
            metrics.request("fallback", key, run.getRequests().size());
            events.warning(model, EventReason.FallingBackToExact, "run " + run.getId() + " missed its thresholds "
                    + f.failures());
        } else if (next instanceof Publish p) {
            published(model, status, run, p.result(), applied);
            owedExactness(model, status, run, p.result().version(), requests);
            metrics.request("verified", key, run.getRequests().size());
            metrics.run(key, run.getMethod(), "published");
        } else if (next instanceof Fail f) {
            if (run.getFollowUp()) {
                settleFollowUps(status, run);
            }
            end(status, record(run, RunOutcome.FAILED, f.reason().name(),
                    (run.getFollowUp() ? "the exact follow-up failed: " : "") + f.message()));
            status.setLastFailure(f.message());
            metrics.request("failed", key, run.getRequests().size());
            metrics.run(key, run.getMethod(), "failed");
            events.warning(model, f.reason(), "run " + run.getId() + ": " + f.message());
        }
    }

    private void published(ShardedModel model, ShardedModelStatus status, BatchRun run, FinalizeResult result,
            VerificationSpec gate) {
        int version = result.version();
        status.setCurrentVersion(version);
        VersionRecord entry = new VersionRecord();
        entry.setVersion(version);
        entry.setDigest(result.digestAfter());
        entry.setCreatedAt(Instant.now(clock).toString());
        entry.setCause("unlearn:" + run.getMethod());
        entry.setRequests(run.getRequests().stream().map(RunMember::getName).toList());
        TrainingStep.addVersion(status, entry);
        status.setTombstoneCount((status.getTombstoneCount() == null ? 0 : status.getTombstoneCount())
                + result.forgotten());
        status.setLastForgettingVersion(version);
        for (var shard : status.getShards()) {
            if (run.getShards().contains(shard.getShard())) {
                shard.setTrainedInVersion(version);
                shard.setExact(run.getMethod() == UnlearningMethod.EXACT);
                shard.setTestAccuracy(result.shardTestAccuracy() == null ? null
                        : result.shardTestAccuracy().get(shard.getShard()));
            }
        }
        RunRecord record = record(run, RunOutcome.PUBLISHED, EventReason.Verified.name(),
                "version " + version + " met the verification thresholds");
        record.setVersion(version);
        // Signed here, by the operator: the worker that ran the tenant's image only supplies evidence.
        record.setCertificate(certificates.unlearning(model, run, result, gate));
        record.setMetricsBefore(byKey(result.metricsBefore()));
        record.setMetricsAfter(byKey(result.metricsAfter()));
        record.setForgottenRecords(result.forgotten());
        record.setUnknownRecords(result.unknown());
        end(status, record);
        status.setLastFailure(null);
        events.normal(model, EventReason.VersionPublished, "version " + version + " published by run " + run.getId());
    }

    /**
     * After an approximate version, its altered shards owe an exact retrain to the requests that want one, due at
     * their earliest deadline or after the model's exactWithin; after the exact follow-up, nothing is owed.
     */
    private void owedExactness(ShardedModel model, ShardedModelStatus status, BatchRun run, int version,
            List<UnlearningRequest> requests) {
        if (run.getFollowUp()) {
            settleFollowUps(status, run);
            return;
        }
        if (run.getMethod() == UnlearningMethod.EXACT) {
            return;
        }
        List<UnlearningRequest> owed = members(run, requests).stream().filter(r -> r.getSpec().getExactFollowUp())
                .toList();
        if (owed.isEmpty()) {
            return;
        }
        Instant due = Instant.now(clock).plus(Durations.parse(model.getSpec().getUnlearning().getExactWithin()));
        for (UnlearningRequest request : owed) {
            Instant deadline = RequestStatusAggregator.deadline(request);
            if (deadline != null && deadline.isBefore(due)) {
                due = deadline;
            }
        }
        ExactFollowUp followUp = new ExactFollowUp();
        followUp.setRequests(owed.stream().map(UnlearningStep::member).toList());
        // Only the shards holding what these requests named owe a retrain; shards the run altered for requests
        // that opted out keep their approximate state.
        followUp.setShards(List.copyOf(owed.stream().flatMap(r -> r.getStatus().getAffectedShards().stream())
                .collect(Collectors.toCollection(TreeSet::new))));
        followUp.setApproximateVersion(version);
        followUp.setDue(due.toString());
        List<ExactFollowUp> pending = new ArrayList<>(status.getExactPending());
        pending.add(followUp);
        status.setExactPending(pending);
        events.normal(model, EventReason.ExactFollowUpScheduled, "run " + run.getId() + " forgot approximately; "
                + "shards " + followUp.getShards() + " are retrained exactly by " + due);
    }

    /** The follow-up carried every owed retrain its requests had. */
    private static void settleFollowUps(ShardedModelStatus status, BatchRun run) {
        status.setExactPending(new ArrayList<>(status.getExactPending().stream()
                .filter(f -> !run.getRequests().containsAll(f.getRequests())).toList()));
    }

    private RunRecord record(BatchRun run, RunOutcome outcome, String reason, String message) {
        RunRecord record = new RunRecord();
        record.setId(run.getId());
        record.setRequests(run.getRequests());
        record.setMethod(run.getMethod());
        record.setOutcome(outcome);
        record.setReason(reason);
        record.setMessage(message);
        record.setJobNames(run.getJobNames());
        record.setFinishedAt(Instant.now(clock).toString());
        return record;
    }

    private static void end(ShardedModelStatus status, RunRecord record) {
        List<RunRecord> runs = new ArrayList<>(status.getRuns());
        runs.add(record);
        status.setRuns(runs);
        status.setActiveBatch(null);
    }

    /** Drops the records whose requests have all copied their outcome and ended (or were deleted). */
    private static void forgetEndedRuns(ShardedModelStatus status, List<UnlearningRequest> requests) {
        List<RunRecord> kept = new ArrayList<>(status.getRuns().stream()
                .filter(run -> run.getRequests().stream().anyMatch(m -> requests.stream()
                        .anyMatch(r -> m.is(r) && !RequestConditions.ended(r))))
                .toList());
        while (kept.size() > MAX_RUN_RECORDS) {
            kept.remove(0);
        }
        if (kept.size() != status.getRuns().size()) {
            status.setRuns(kept);
        }
    }

    private static Map<String, Double> byKey(Measurements measurements) {
        return measurements == null ? null : measurements.byKey();
    }

    /** The run's gate as the finalize Job applies it and the certificate records it. */
    private static VerificationSpec gate(ShardedModel model, BatchRun run, List<UnlearningRequest> requests) {
        List<UnlearningRequest> members = members(run, requests);
        return Gates.merge(model.getSpec().getVerification(),
                members.stream().map(r -> r.getSpec().getVerification()).toList(),
                Gates.kind(members.stream().map(UnlearningRequest::getSpec).toList()));
    }

    private static List<UnlearningRequest> members(BatchRun run, List<UnlearningRequest> requests) {
        return requests.stream().filter(r -> carries(run.getRequests(), r)).toList();
    }

    private static boolean carries(List<RunMember> members, UnlearningRequest request) {
        return members.stream().anyMatch(m -> m.is(request));
    }

    static RunMember member(UnlearningRequest request) {
        return new RunMember(request.getMetadata().getName(), request.getMetadata().getUid());
    }
}

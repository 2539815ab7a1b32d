package dev.unlearning.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unlearning.api.BatchRun;
import dev.unlearning.api.CertificateReference;
import dev.unlearning.api.RolloutPolicy;
import dev.unlearning.api.ShardedModel;
import dev.unlearning.api.ShardedModelStatus;
import dev.unlearning.api.UnlearningMethod;
import dev.unlearning.api.UnlearningRequest;
import dev.unlearning.api.VerificationSpec;
import dev.unlearning.api.VersionRecord;
import dev.unlearning.operator.jobs.JobFactory;
import dev.unlearning.operator.jobs.JobObserver;
import dev.unlearning.operator.jobs.ModelFiles;
import dev.unlearning.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Carries out a model's UnlearningRequests, one run at a time. Requests accepted within the batching window
 * are coalesced into one run over the union of their shards (earliest deadline first; one method per run);
 * later ones queue for the next run. A run is an Indexed Job (one affected shard per index) followed by a
 * finalize Job that verifies the result and publishes it only if it passes. Auto runs the cheapest
 * approximate method and falls back to Exact on the same shards when verification fails.
 */
public class UnlearningStep {

    static final String UNLEARNING = "Unlearning";
    static final String FINALIZING = "Finalizing";
    static final String APPROVE_ANNOTATION = "unlearning.dev/approve-rollout";
    /** The cheapest approximate method in the benchmark (README): Auto's first attempt. */
    static final UnlearningMethod AUTO_FIRST = UnlearningMethod.NEG_GRAD_PLUS;

    private final KubernetesClient client;
    private final JobFactory factory;
    private final Jobs jobs;
    private final JobObserver observer;
    private final RequestStatusWriter writer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;

    public UnlearningStep(KubernetesClient client, JobFactory factory, Jobs jobs, JobObserver observer,
            RequestStatusWriter writer, EventRecorder events, OperatorMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.client = client;
        this.factory = factory;
        this.jobs = jobs;
        this.observer = observer;
        this.writer = writer;
        this.events = events;
        this.clock = clock;
    }

    /** Advances the model's unlearning; returns when to look again if nothing else will wake the reconciler. */
    public Optional<Duration> step(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        if (status.getCurrentVersion() == null || status.getTraining() != null) {
            return Optional.empty();
        }
        if (status.getActiveBatch() == null) {
            return startBatch(model, status, requests);
        }
        advance(model, status, requests);
        return Optional.empty();
    }

    private Optional<Duration> startBatch(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        // With no active run, every accepted request that has no result yet is pending, including one that
        // names a run the model's status never recorded (the operator died in between): re-planning finds
        // that run's Job by name and adopts it.
        List<UnlearningRequest> pending = requests.stream()
                .filter(r -> isTrue(r, RequestConditions.ACCEPTED) && !done(r)
                        && r.getStatus().getResultingVersion() == null)
                .sorted(Comparator.comparing((UnlearningRequest r) -> deadlineOrMax(r))
                        .thenComparing(r -> r.getMetadata().getCreationTimestamp()))
                .toList();
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Instant oldest = pending.stream().map(r -> Instant.parse(r.getStatus().condition(RequestConditions.ACCEPTED)
                .orElseThrow().getLastTransitionTime())).min(Instant::compareTo).orElseThrow();
        Instant due = oldest.plusSeconds(model.getSpec().getUnlearning().getBatchingWindowSeconds());
        Instant now = Instant.now(clock);
        if (now.isBefore(due)) {
            return Optional.of(Duration.between(now, due).plusMillis(200));
        }
        UnlearningMethod method = effective(model, pending.get(0));
        List<UnlearningRequest> members = pending.stream().filter(r -> effective(model, r) == method).toList();
        BatchRun batch = new BatchRun();
        batch.setId("u" + (status.getBatchesStarted() + 1));
        batch.setRequests(members.stream().map(r -> r.getMetadata().getName()).toList());
        batch.setMethod(method);
        batch.setFallbackToExact(isAuto(model, pending.get(0)) && method != UnlearningMethod.EXACT);
        batch.setShards(List.copyOf(members.stream().flatMap(r -> r.getStatus().getAffectedShards().stream())
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new))));
        batch.setBaseVersion(status.getCurrentVersion());
        batch.setPhase(UNLEARNING);
        batch.setStartedAt(now.toString());
        batch = adoptExisting(model, batch);
        BatchRun planned = batch;
        members = pending.stream().filter(r -> planned.getRequests().contains(r.getMetadata().getName())).toList();
        client.resource(ModelFiles.requests(model, JobFactory.requestsConfigMapName(model, batch), batch.getId(),
                members, r -> UnlearningRequestReconciler.recordIdsOf(client, r))).forceConflicts().serverSideApply();
        Job job = jobs.ensure(annotated(factory.unlearning(model, batch), batch));
        batch.setJobName(job.getMetadata().getName());
        status.setActiveBatch(batch);
        status.setBatchesStarted(status.getBatchesStarted() + 1);
        BatchRun started = batch;
        for (UnlearningRequest request : members) {
            writer.update(request, s -> {
                s.setBatch(started.getId());
                s.setMethod(started.getMethod());
                addJob(s, job.getMetadata().getName());
                writer.set(s, RequestConditions.UNLEARNING, Conditions.TRUE, "JobStarted", "run " + started.getId()
                        + " unlearns " + started.getShards().size() + " shard(s) with " + started.getMethod(), request);
            });
        }
        metrics.request("started", model.getMetadata().getUid() + "/" + batch.getId(), members.size());
        events.normal(model, "UnlearningStarted", "run " + batch.getId() + ": " + members.size() + " request(s), "
                + batch.getShards().size() + " shard(s), " + method);
        return Optional.empty();
    }

    /**
     * After an operator restart the run may already have a Job; its annotation says which requests it really
     * carries, so the status follows the Job instead of re-planning around it.
     */
    private BatchRun adoptExisting(ShardedModel model, BatchRun planned) {
        Job existing = jobs.get(model.getMetadata().getNamespace(), JobFactory.unlearnJobName(model, planned));
        if (existing == null || existing.getMetadata().getAnnotations() == null) {
            return planned;
        }
        String recorded = existing.getMetadata().getAnnotations().get(BATCH_ANNOTATION);
        return recorded == null ? planned : client.getKubernetesSerialization().unmarshal(recorded, BatchRun.class);
    }

    static final String BATCH_ANNOTATION = "unlearning.dev/batch";

    private Job annotated(Job job, BatchRun batch) {
        job.getMetadata().setAnnotations(Map.of(BATCH_ANNOTATION, client.getKubernetesSerialization().asJson(batch)));
        return job;
    }

    private void advance(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        BatchRun batch = status.getActiveBatch();
        List<UnlearningRequest> members = requests.stream()
                .filter(r -> batch.getRequests().contains(r.getMetadata().getName())).toList();
        String namespace = model.getMetadata().getNamespace();
        JobObserver.Outcome outcome = observer.observe(jobs.get(namespace, batch.getJobName()));
        if (outcome.phase() != JobObserver.Phase.RUNNING) {
            metrics.jobFinished(batch.getJobName(), UNLEARNING.equals(batch.getPhase()) ? "unlearn" : "finalize",
                    outcome.phase() == JobObserver.Phase.SUCCEEDED, batch.getStartedAt(), Instant.now(clock));
            batch.setStartedAt(Instant.now(clock).toString());
        }
        switch (outcome.phase()) {
            case RUNNING -> {
            }
            case MISSING -> fail(model, status, members, "JobMissing", "Job " + batch.getJobName() + " disappeared");
            case FAILED -> {
                if (FINALIZING.equals(batch.getPhase()) && outcome.exitCode() != null && outcome.exitCode() == 5) {
                    verificationFailed(model, status, members, outcome.result());
                } else {
                    fail(model, status, members, UNLEARNING.equals(batch.getPhase()) ? "UnlearningJobFailed"
                            : "FinalizeJobFailed", "Job " + batch.getJobName() + " failed: " + outcome.message());
                }
            }
            case SUCCEEDED -> {
                if (UNLEARNING.equals(batch.getPhase())) {
                    Job finalizeJob = jobs.ensure(factory.finalizing(model, batch, gate(model, members)));
                    batch.setPhase(FINALIZING);
                    batch.setJobName(finalizeJob.getMetadata().getName());
                    for (UnlearningRequest request : members) {
                        writer.update(request, s -> addJob(s, finalizeJob.getMetadata().getName()));
                    }
                } else if (outcome.result() == null || !outcome.result().hasNonNull("version")) {
                    fail(model, status, members, "ResultMissing", "Job " + batch.getJobName()
                            + " succeeded but reported no version (no termination message from its worker)");
                } else {
                    verified(model, status, members, outcome.result());
                }
            }
            default -> throw new IllegalStateException(outcome.phase().name());
        }
    }

    private void verified(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> members,
            JsonNode result) {
        int version = result.get("version").asInt();
        status.setCurrentVersion(version);
        VersionRecord record = new VersionRecord();
        record.setVersion(version);
        record.setDigest(TrainingStep.text(result, "digestAfter"));
        record.setCreatedAt(Instant.now(clock).toString());
        record.setCause("unlearn:" + status.getActiveBatch().getMethod());
        record.setRequests(status.getActiveBatch().getRequests());
        TrainingStep.addVersion(status, record);
        status.setTombstoneCount((status.getTombstoneCount() == null ? 0 : status.getTombstoneCount())
                + result.path("forgotten").asInt());
        for (var shard : status.getShards()) {
            if (status.getActiveBatch().getShards().contains(shard.getShard())) {
                shard.setTrainedInVersion(version);
                shard.setExact(status.getActiveBatch().getMethod() == UnlearningMethod.EXACT);
                JsonNode accuracy = result.path("shardTestAccuracy").get(Integer.toString(shard.getShard()));
                shard.setTestAccuracy(accuracy == null ? null : accuracy.asDouble());
            }
        }
        CertificateReference certificate = new CertificateReference();
        certificate.setKey(TrainingStep.text(result, "certificateKey"));
        certificate.setDigest(TrainingStep.text(result, "certificateDigest"));
        for (UnlearningRequest request : members) {
            writer.update(request, s -> {
                s.setResultingVersion(version);
                s.setCertificate(certificate);
                s.setMetricsBefore(metrics(result.get("metricsBefore")));
                s.setMetricsAfter(metrics(result.get("metricsAfter")));
                s.setForgottenRecords(result.path("forgotten").asInt());
                s.setUnknownRecords(result.path("unknown").asInt());
                writer.set(s, RequestConditions.UNLEARNING, Conditions.FALSE, "Done", "unlearning finished", request);
                writer.set(s, RequestConditions.VERIFIED, Conditions.TRUE, "VerificationPassed",
                        "version " + version + " met the verification thresholds", request);
            });
            events.normal(request, "Verified", "version " + version + " verified; certificate "
                    + certificate.getDigest());
        }
        metrics.request("verified", model.getMetadata().getUid() + "/" + status.getActiveBatch().getId(), members.size());
        events.normal(model, "VersionPublished", "version " + version + " published by run "
                + status.getActiveBatch().getId());
        status.setActiveBatch(null);
        status.setLastFailure(null);
    }

    private void verificationFailed(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> members,
            JsonNode result) {
        BatchRun batch = status.getActiveBatch();
        String failures = result != null && result.has("gateFailures") ? result.get("gateFailures").toString() : "";
        if (batch.getFallbackToExact()) {
            batch.setMethod(UnlearningMethod.EXACT);
            batch.setFallbackToExact(false);
            batch.setPhase(UNLEARNING);
            Job exact = jobs.ensure(annotated(factory.unlearning(model, batch), batch));
            batch.setJobName(exact.getMetadata().getName());
            for (UnlearningRequest request : members) {
                writer.update(request, s -> {
                    s.setMethod(UnlearningMethod.EXACT);
                    addJob(s, exact.getMetadata().getName());
                    writer.set(s, RequestConditions.VERIFIED, Conditions.FALSE, "VerificationFailed",
                            "the approximate result missed " + failures + "; retrying with Exact", request);
                });
            }
            metrics.request("fallback", model.getMetadata().getUid() + "/" + batch.getId(), members.size());
            events.warning(model, "FallingBackToExact", "run " + batch.getId() + " missed its thresholds " + failures);
            return;
        }
        fail(model, status, members, "VerificationFailed", "the unlearned version missed " + failures
                + "; nothing was published and the previous version keeps serving");
    }

    private void fail(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> members, String reason,
            String message) {
        for (UnlearningRequest request : members) {
            writer.update(request, s -> {
                writer.set(s, RequestConditions.UNLEARNING, Conditions.FALSE, reason, message, request);
                if ("VerificationFailed".equals(reason)) {
                    writer.set(s, RequestConditions.VERIFIED, Conditions.FALSE, reason, message, request);
                }
                writer.set(s, RequestConditions.FAILED, Conditions.TRUE, reason, message, request);
            });
            events.warning(request, reason, message);
        }
        metrics.request("failed", model.getMetadata().getUid() + "/" + status.getActiveBatch().getId(), members.size());
        status.setLastFailure(message);
        status.setActiveBatch(null);
    }

    /**
     * Marks verified requests rolled out and complete once serving runs their version (or at once when the
     * model has no serving replicas). Manual requests wait for their approval annotation.
     */
    public void completeRollouts(ShardedModel model, ShardedModelStatus status, List<UnlearningRequest> requests) {
        for (UnlearningRequest request : requests) {
            if (done(request) || !isTrue(request, RequestConditions.VERIFIED)
                    || request.getStatus().getResultingVersion() == null) {
                continue;
            }
            boolean manual = request.getSpec().getRollout() == RolloutPolicy.MANUAL && !"true".equals(
                    Optional.ofNullable(request.getMetadata().getAnnotations()).map(a -> a.get(APPROVE_ANNOTATION))
                            .orElse(null));
            boolean noServing = model.getSpec().getServing().getReplicas() == 0;
            Integer serving = status.getServingVersion();
            boolean rolledOut = noServing || (serving != null && serving >= request.getStatus().getResultingVersion());
            writer.update(request, s -> {
                if (manual && !rolledOut) {
                    writer.set(s, RequestConditions.ROLLED_OUT, Conditions.FALSE, "AwaitingApproval",
                            "annotate the request " + APPROVE_ANNOTATION + "=true to roll out", request);
                } else if (!rolledOut) {
                    writer.set(s, RequestConditions.ROLLED_OUT, Conditions.FALSE, "RolloutInProgress",
                            "serving is rolling out version " + s.getResultingVersion(), request);
                } else {
                    writer.set(s, RequestConditions.ROLLED_OUT, Conditions.TRUE, noServing ? "ServingDisabled"
                            : "RolledOut", noServing ? "the model has no serving replicas"
                            : "serving runs version " + serving, request);
                    writer.set(s, RequestConditions.COMPLETE, Conditions.TRUE, "Complete",
                            "forgotten, verified and certified in version " + s.getResultingVersion(), request);
                }
            });
            if (rolledOut) {
                metrics.request("completed", request.getMetadata().getUid(), 1);
            }
        }
    }

    /** The version serving should run: the newest one no unapproved Manual request holds back. */
    public int approvedVersion(ShardedModelStatus status, List<UnlearningRequest> requests) {
        int version = status.getCurrentVersion();
        for (UnlearningRequest r : requests) {
            if (!done(r) && r.getSpec().getRollout() == RolloutPolicy.MANUAL && r.getStatus() != null
                    && r.getStatus().getResultingVersion() != null && !"true".equals(Optional.ofNullable(
                            r.getMetadata().getAnnotations()).map(a -> a.get(APPROVE_ANNOTATION)).orElse(null))) {
                version = Math.min(version, r.getStatus().getResultingVersion() - 1);
            }
        }
        return version;
    }

    static VerificationSpec gate(ShardedModel model, List<UnlearningRequest> members) {
        VerificationSpec gate = new VerificationSpec();
        VerificationSpec defaults = model.getSpec().getVerification();
        List<VerificationSpec> all = new ArrayList<>();
        all.add(defaults);
        members.forEach(r -> all.add(r.getSpec().getVerification()));
        for (VerificationSpec v : all) {
            if (v == null) {
                continue;
            }
            gate.setMaxForgetAccuracy(min(gate.getMaxForgetAccuracy(), v.getMaxForgetAccuracy()));
            gate.setMaxMiaAuc(min(gate.getMaxMiaAuc(), v.getMaxMiaAuc()));
            gate.setMaxBackdoorAsr(min(gate.getMaxBackdoorAsr(), v.getMaxBackdoorAsr()));
            gate.setMinTestAccuracy(max(gate.getMinTestAccuracy(), v.getMinTestAccuracy()));
        }
        return gate;
    }

    private static Double min(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Double.valueOf(Math.min(a, b));
    }

    private static Double max(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Double.valueOf(Math.max(a, b));
    }

    static UnlearningMethod effective(ShardedModel model, UnlearningRequest request) {
        UnlearningMethod method = request.getSpec().getMethod();
        if (method == UnlearningMethod.AUTO) {
            method = model.getSpec().getUnlearning().getMethod();
        }
        return method == UnlearningMethod.AUTO ? AUTO_FIRST : method;
    }

    static boolean isAuto(ShardedModel model, UnlearningRequest request) {
        return request.getSpec().getMethod() == UnlearningMethod.AUTO
                && model.getSpec().getUnlearning().getMethod() == UnlearningMethod.AUTO;
    }

    private static Map<String, Double> metrics(JsonNode node) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        }
        return metrics;
    }

    private static void addJob(dev.unlearning.api.UnlearningRequestStatus s, String job) {
        if (!s.getJobNames().contains(job)) {
            List<String> names = new ArrayList<>(s.getJobNames());
            names.add(job);
            s.setJobNames(names);
        }
    }

    private static String deadlineOrMax(UnlearningRequest r) {
        return r.getSpec().getDeadline() == null ? "9999" : Instant.from(
                java.time.OffsetDateTime.parse(r.getSpec().getDeadline())).toString();
    }

    static boolean done(UnlearningRequest r) {
        return isTrue(r, RequestConditions.COMPLETE) || isTrue(r, RequestConditions.FAILED);
    }

    static boolean isTrue(UnlearningRequest r, String type) {
        return UnlearningRequestReconciler.isTrue(r, type);
    }
}
